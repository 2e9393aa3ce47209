#!/bin/bash
# By hand, as root, holding /tmp/migbench-int.lock; needs iperf3 and sysstat (pidstat). See docs/performance.md.
# Link probe experiment: A=mgbcst1a (10.213.9.1), B=mgbcst1b; tbf at $RATE on both ends (same args as tbfArgs).
set -u
RATE=${RATE:-10000000000}
A=mgbcst1a; B=mgbcst1b
cleanup() { ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null; }
trap cleanup EXIT
ip netns add $A; ip netns add $B
ip link add ${A}0 netns $A type veth peer name ${B}0 netns $B
[ "$RATE" = none ] && burst=0 || burst=$(( RATE/8/250 > 262144 ? RATE/8/250 : 262144 ))
i=1; for h in $A $B; do
  ip -n $h addr add 10.213.9.$i/30 dev ${h}0; ip -n $h link set ${h}0 up; ip -n $h link set lo up
  [ "$RATE" != none ] && tc -n $h qdisc add dev ${h}0 root tbf rate ${RATE}bit burst ${burst}b latency 50ms
  i=$((i+1)); done
N="nsenter --net=/run/netns"
t() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1; local e=$(date +%s.%N); echo "$s $e" | awk '{print $2-$1}'; }
echo "rate=$RATE"
# iperf3
$N/$A iperf3 -s -D -1 -p 5301 >/dev/null; sleep 0.3
echo "iperf3 1 stream : $($N/$B iperf3 -c 10.213.9.1 -p 5301 -t 4 -R -f g | awk '/receiver/{print $(NF-2), $(NF-1)}')"
$N/$A iperf3 -s -D -1 -p 5302 >/dev/null; sleep 0.3
echo "iperf3 4 streams: $($N/$B iperf3 -c 10.213.9.1 -p 5302 -t 4 -R -P 4 -f g | awk '/SUM.*receiver/{print $(NF-2), $(NF-1)}')"
# nbdkit pattern + nbdcopy, like link-probe.ts
for size in 1024 4096; do
  $N/$A nbdkit --exit-with-parent -f -p 10809 -i 10.213.9.1 --readonly pattern size=${size}M & K=$!; sleep 0.5
  for opts in "--connections=4 --requests=16" "--connections=8 --requests=16" "--connections=4 --requests=16 --request-size=4194304"; do
    [ $size = 4096 ] && [ "$opts" != "--connections=4 --requests=16" ] && continue
    pidstat -h -u -p ALL 1 > /tmp/pidstat-$size-${opts// /_}.txt 2>/dev/null & P=$!
    sec=$(t $N/$B nbdcopy --no-extents $opts nbd://10.213.9.1:10809 null:)
    kill $P
    echo "nbdcopy ${size}MiB $opts: $sec s = $(awk -v s=$sec -v m=$size 'BEGIN{printf "%.2f", m*1048576*8/s/1e9}') Gbit/s"
  done
  kill $K; wait $K 2>/dev/null
done
