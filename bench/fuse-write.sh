#!/bin/bash
# What 4 KiB O_DSYNC writes (one at a time, as the stamped writer issues them) reach on the
# qemu-tracked source stack: a loop device on a sparse file in BACKING (default /dev/shm, migbench's
# default --backing-dir) ← qemu-storage-daemon
# (host_device, cache.direct, aio=native) ← NBD export on a UNIX socket ← nbdfuse file ←
# loop device --direct-io=on. Each layer is probed in turn. As root, under the lock:
#   flock /tmp/migbench-int.lock bench/fuse-write.sh [NBDFUSE_ARGS...]
# DEPTHS (default "1 8") sets fio's queue depths (libaio); RUNTIME (default 3) seconds each;
# NOSYNC=1 probes the loop on nbdfuse once more without O_DSYNC (the write alone, no flush).
set -eu
d=$(mktemp -d "${BACKING:-/dev/shm}/migbench-fuse-write.XXXXXX")
raw='' loop=''
cleanup() {
  [ -n "$loop" ] && losetup -d "$loop" || true
  if grep -q " $d/f.raw " /proc/mounts; then fusermount3 -u "$d/f.raw" || true; fi
  [ -s "$d/q.pid" ] && kill "$(cat "$d/q.pid")" 2>/dev/null || true
  sleep 0.5; [ -n "$raw" ] && losetup -d "$raw" || true
  rm -rf "$d"
}
trap cleanup EXIT
waitpid() { for _ in $(seq 50); do [ -s "$1" ] && return; sleep 0.1; done; }
truncate -s 256M "$d/img"
raw=$(losetup --direct-io=on -f --show "$d/img")
probe() { # label depth fio-args...
  local label=$1 depth=$2; shift 2
  fio --name="$label" --rw=randwrite --randrepeat=0 --bs=4k --iodepth="$depth" --time_based --runtime="${RUNTIME:-3}" \
    --output-format=json "$@" 2>/dev/null | sed -n '/^{/,$p' |
    python3 -c "import json,sys;r=json.load(sys.stdin)['jobs'][0]['write'];p=r['clat_ns']['percentile'];print(f'$label iodepth $depth: {r[\"iops\"]:.0f} writes/s = {r[\"bw_bytes\"]/1e6:.1f} MB/s, p50 {p[\"50.000000\"]/1e3:.0f} us, p99 {p[\"99.000000\"]/1e3:.0f} us')"
}
depths=${DEPTHS:-1 8}
dsync=(--ioengine=libaio --direct=1 --sync=dsync)
for q in $depths; do probe raw-loop "$q" "${dsync[@]}" --filename="$raw"; done
qemu-storage-daemon --blockdev "host_device,node-name=src,filename=$raw,cache.direct=on,aio=native" \
  --nbd-server "addr.type=unix,addr.path=$d/s.sock" --export nbd,id=e,node-name=src,name=vol,writable=on \
  --pidfile "$d/q.pid" --daemonize
waitpid "$d/q.pid"
touch "$d/f.raw"
nbdfuse "$@" -P "$d/f.pid" "$d/f.raw" "nbd+unix:///vol?socket=$d/s.sock" &
waitpid "$d/f.pid"
for q in $depths; do probe nbdfuse-file "$q" "${dsync[@]}" --filename="$d/f.raw"; done
loop=$(losetup --direct-io=on -f --show "$d/f.raw")
for q in $depths; do probe loop-on-nbdfuse "$q" "${dsync[@]}" --filename="$loop"; done
if [ -n "${NOSYNC:-}" ]; then
  for q in $depths; do probe loop-on-nbdfuse-nosync "$q" --ioengine=libaio --direct=1 --filename="$loop"; done
fi
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
