#!/usr/bin/env bash
# kernel-lab self-test; runs INSIDE the lab (`scripts/kernel-lab --check`).
# Checks: kernel version, dm targets clone+era, /dev/nbd0, netem on lo, node, a writable
# checkout, and a small dm-clone smoke test on loop devices (hydration to completion).
set -uo pipefail
failures=0
ok() { printf 'ok    %s\n' "$*"; }
bad() { printf 'FAIL  %s\n' "$*"; failures=$((failures + 1)); }

printf 'kernel: %s\n' "$(uname -r)"

targets=$(dmsetup targets 2>&1)
for t in clone era; do
	if grep -q "^$t " <<<"$targets"; then ok "dmsetup targets lists $t ($(grep "^$t " <<<"$targets" | awk '{print $2}'))"
	else bad "dmsetup targets lacks $t"; fi
done
if [ -c /dev/mapper/control ]; then ok "/dev/mapper/control exists"; else bad "/dev/mapper/control missing"; fi
if [ -b /dev/nbd0 ]; then ok "/dev/nbd0 exists"; else bad "/dev/nbd0 missing"; fi
if tc qdisc add dev lo root netem delay 1ms 2>&1; then
	ok "tc netem on lo: $(tc qdisc show dev lo | head -n1)"
	tc qdisc del dev lo root
else bad "tc qdisc add dev lo root netem delay 1ms"; fi
if v=$(node -e 'console.log(process.version)' 2>&1); then ok "node $v"; else bad "node: $v"; fi

# the checkout is writable at its host path
here=$(cd "$(dirname "$0")/../.." && pwd -P)
probe=$here/.kernel-lab-probe.$$
if echo probe >"$probe" 2>/dev/null && [ "$(cat "$probe")" = probe ]; then ok "checkout $here is writable"
else bad "checkout $here is not writable"; fi
rm -f "$probe"

# dm-clone smoke test: source and destination 64 MiB, metadata 4 MiB, 64 KiB regions
smoke() {
	local d src dst meta sectors
	d=$(mktemp -d /tmp/kl-smoke.XXXXXX)
	truncate -s 64M "$d/src" "$d/dst"; truncate -s 4M "$d/meta"
	src=$(losetup -f --show "$d/src") && dst=$(losetup -f --show "$d/dst") && meta=$(losetup -f --show "$d/meta") || return 1
	dd if=/dev/urandom of="$src" bs=1M count=64 oflag=direct status=none
	sectors=$(blockdev --getsz "$src")
	dmsetup create kl-c1 --table "0 $sectors clone $meta $dst $src 128 1 no_hydration" || return 1
	dmsetup mknodes
	[ -b /dev/mapper/kl-c1 ] || { echo "no /dev/mapper/kl-c1 after mknodes"; return 1; }
	echo "status before: $(dmsetup status kl-c1)"
	# write through the clone, then read it back and compare with the source elsewhere
	dd if=/dev/zero of=/dev/mapper/kl-c1 bs=4k count=16 seek=100 oflag=direct status=none || return 1
	cmp -n $((100 * 4096)) /dev/mapper/kl-c1 "$src" || return 1
	cmp -i $((116 * 4096)) -n 1048576 /dev/mapper/kl-c1 "$src" || return 1
	[ "$(dd if=/dev/mapper/kl-c1 bs=4k count=16 skip=100 iflag=direct status=none | tr -d '\0' | wc -c)" = 0 ] || return 1
	echo "status after I/O: $(dmsetup status kl-c1)"
	dmsetup message kl-c1 0 enable_hydration || return 1
	local hyd total
	for _ in $(seq 1 600); do
		read -r hyd total < <(dmsetup status kl-c1 | awk '{split($7, a, "/"); print a[1], a[2]}')
		[ "$hyd" = "$total" ] && break
		sleep 0.2
	done
	echo "status hydrated: $(dmsetup status kl-c1)"
	[ "$hyd" = "$total" ] || return 1
	# the destination alone now holds the data: source except the zeroed range
	dmsetup remove kl-c1 || return 1
	cmp -n $((100 * 4096)) "$dst" "$src" || return 1
	cmp -i $((116 * 4096)) "$dst" "$src" || return 1
	losetup -d "$src" "$dst" "$meta"
	rm -rf "$d"
}
indent() { while IFS= read -r l; do printf '      %s\n' "$l"; done <<<"$1"; }
if out=$(smoke 2>&1); then ok "dm-clone smoke test"; indent "$out"
else
	bad "dm-clone smoke test"; indent "$out"
	dmsetup remove kl-c1 2>/dev/null
	losetup -a | awk -F: '/kl-smoke/ {print $1}' | xargs -r losetup -d
fi

if [ "$failures" = 0 ]; then echo "kernel-lab check: all ok"; exit 0; fi
echo "kernel-lab check: $failures failure(s)"; exit 1
