#!/bin/bash
# By hand, as root, holding /tmp/migbench-int.lock; needs iperf3 and sysstat (pidstat). See docs/performance.md.
# CPU of each side of the link probe's transfer (1 GiB pattern, nbdkit → nbdcopy null:), vs wall time.
set -u
RATE=${RATE:-10000000000}; A=mgbcst1a; B=mgbcst1b
cleanup() { ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null; }
trap cleanup EXIT
ip netns add $A; ip netns add $B
ip link add ${A}0 netns $A type veth peer name ${B}0 netns $B
burst=$(( RATE/8/250 > 262144 ? RATE/8/250 : 262144 ))
i=1; for h in $A $B; do ip -n $h addr add 10.213.9.$i/30 dev ${h}0; ip -n $h link set ${h}0 up; ip -n $h link set lo up
  tc -n $h qdisc add dev ${h}0 root tbf rate ${RATE}bit burst ${burst}b latency 50ms; i=$((i+1)); done
N="nsenter --net=/run/netns"
ticks() { awk '{print $14+$15}' /proc/$1/stat; }
HZ=$(getconf CLK_TCK)
for run in 1 2 3; do
  $N/$A nbdkit --exit-with-parent -f -p 10809 -i 10.213.9.1 --readonly pattern size=${SIZE:-1024}M & K=$!; sleep 0.5
  k0=$(ticks $K); s=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o /tmp/t $N/$B nbdcopy --no-extents --connections=${CONN:-4} --requests=16 nbd://10.213.9.1:10809 null:
  e=$(date +%s.%N); k1=$(ticks $K); kill $K; wait $K 2>/dev/null
  read u sy < /tmp/t
  awk -v s=$s -v e=$e -v k=$((k1-k0)) -v hz=$HZ -v u=$u -v sy=$sy -v m=${SIZE:-1024} 'BEGIN{w=e-s; printf "wall %.2f s  %.2f Gbit/s  nbdkit %.2f cpu-s (%.0f%%)  nbdcopy %.2f cpu-s (usr %.2f sys %.2f, %.0f%%)  total %.0f%% of 2 cores\n", w, m*8*1048576/w/1e9, k/hz, 100*k/hz/w, u+sy, u, sy, 100*(u+sy)/w, 100*(k/hz+u+sy)/w/2}'
done
$N/$A iperf3 -s -D -1 -p 5301 >/dev/null; sleep 0.3
$N/$B iperf3 -c 10.213.9.1 -p 5301 -t 3 -R -V -f g 2>&1 | grep -E "CPU Utilization|receiver"
