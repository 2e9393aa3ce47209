#!/bin/bash
# By hand, as root, holding /tmp/migbench-int.lock. One warm TCP connection (and 4) asking for
# 16 MiB at a time across a veth shaped like migbench's link (tbfArgs), no disk: what the
# delta stream can get from the link and TCP alone. RATE in bit/s (default 1e9).
set -u
RATE=${RATE:-1000000000}; BYTES=${BYTES:-16777216}
A=mgbtcpba; B=mgbtcpbb
cleanup() { kill %1 2>/dev/null; ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null; }
trap cleanup EXIT
ip netns add $A; ip netns add $B
ip link add ${A}0 netns $A type veth peer name ${B}0 netns $B
burst=$(( RATE/8/250 > 262144 ? RATE/8/250 : 262144 ))
i=1; for h in $A $B; do
  ip -n $h addr add 10.213.10.$i/30 dev ${h}0; ip -n $h link set ${h}0 up; ip -n $h link set lo up
  tc -n $h qdisc add dev ${h}0 root tbf rate ${RATE}bit burst ${burst}b latency 50ms
  i=$((i+1)); done
D=$(dirname "$0")
nsenter --net=/run/netns/$A node $D/tcp-burst.mjs serve 5311 & sleep 0.5
echo "rate=$RATE; $BYTES bytes need $(awk -v b=$BYTES -v r=$RATE 'BEGIN{printf "%.1f", b*8/r*1000}') ms at the asked rate"
for c in 1 4; do nsenter --net=/run/netns/$B node $D/tcp-burst.mjs fetch 10.213.10.1 5311 $BYTES $c 5; done
