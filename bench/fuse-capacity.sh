#!/bin/bash
# How many 4 KiB random reads per second the clone's device path (nbdfuse, then a loop
# device with --direct-io=on) passes when every read waits LATENCY on the server, against
# the same reads sent to the server directly over NBD. As root, under the integration lock:
#   flock /tmp/migbench-int.lock bench/fuse-capacity.sh [LATENCY=20ms] [NBDFUSE_ARGS...]
# MIDDLE=nbdkit puts an nbdkit nbd plugin (one shared connection to the server) between the
# server and nbdfuse: its cost, for a server without multi-conn, to which nbdfuse opens only one
# connection (qemu-storage-daemon 7.2 advertises multi-conn, writable exports included).
# DEPTHS (default "8 64") sets fio's queue depths.
# Makes its own nbdkit (pattern plugin, delay filter), mount and loop device, and removes them.
set -eu
latency=${1:-20ms}; shift || true
d=$(mktemp -d /tmp/migbench-fuse-capacity.XXXXXX)
loop=''
cleanup() {
  [ -n "$loop" ] && losetup -d "$loop" || true
  if grep -q " $d/f.raw " /proc/mounts; then fusermount3 -u "$d/f.raw" || true; fi
  for p in "$d"/k*.pid; do [ -s "$p" ] && kill "$(cat "$p")" 2>/dev/null || true; done
  sleep 0.3; rm -rf "$d"
}
trap cleanup EXIT
waitpid() { for _ in $(seq 50); do [ -s "$1" ] && return; sleep 0.1; done; }
nbdkit --unix "$d/s.sock" --pidfile "$d/k.pid" --filter=delay pattern size=256M "delay-read=$latency"
waitpid "$d/k.pid"
sock="$d/s.sock"
if [ "${MIDDLE:-}" = nbdkit ]; then
  nbdkit --unix "$d/m.sock" --pidfile "$d/k2.pid" nbd "socket=$sock" shared=true
  waitpid "$d/k2.pid"; sock="$d/m.sock"
fi
probe() { # label depth fio-args...
  local label=$1 depth=$2; shift 2
  fio --name="$label" --rw=randread --randrepeat=0 --bs=4k --iodepth="$depth" --time_based --runtime=3 --readonly \
    --output-format=json "$@" 2>/dev/null | sed -n '/^{/,$p' |
    python3 -c "import json,sys;r=json.load(sys.stdin)['jobs'][0]['read'];p=r['clat_ns']['percentile'];print(f'$label iodepth $depth: {r[\"iops\"]:.0f} reads/s, p50 {p[\"50.000000\"]/1e6:.1f} ms, p99 {p[\"99.000000\"]/1e6:.1f} ms')"
}
depths=${DEPTHS:-8 64}
for q in $depths; do probe nbd-direct "$q" --ioengine=nbd --uri="nbd+unix:///?socket=$sock"; done
touch "$d/f.raw"
nbdfuse "$@" -P "$d/f.pid" "$d/f.raw" "nbd+unix:///?socket=$sock" &
waitpid "$d/f.pid"
echo "nbdfuse threads: $(ls /proc/$(cat "$d/f.pid")/task | wc -l)"
for q in $depths; do probe nbdfuse-file "$q" --ioengine=libaio --direct=1 --filename="$d/f.raw"; done
loop=$(losetup --direct-io=on -f --show "$d/f.raw")
for q in $depths; do probe loop "$q" --ioengine=libaio --direct=1 --filename="$loop"; done
echo "nbdfuse threads after: $(ls /proc/$(cat "$d/f.pid")/task | wc -l); load: $(cut -d' ' -f1-3 /proc/loadavg)"
