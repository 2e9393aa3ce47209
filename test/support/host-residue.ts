import { basename, dirname } from 'node:path';
import type { RemoteHost } from '../../src/remote/remote-hosts.js';
import { remoteLedgerDir } from '../../src/remote/remote-ledger.js';
import { socketLinkPath } from '../../src/remote/work-path.js';

/**
 * What identifies the data directory in a loop device's backing path: the path from the
 * tmpfs on, since the kernel shows the backing file of a loop made in another mount
 * namespace (sshd's, under `ip netns exec`) relative to its filesystem
 * (`/migbench-ssh-hosts-X/data-a/…`, not `/dev/shm/migbench-ssh-hosts-X/data-a/…`).
 */
function loopPathPart(dataDir: string): string {
  return `/${basename(dirname(dataDir))}/${basename(dataDir)}/`;
}

/**
 * What migbench left on a real host: processes carrying run `runId`'s mark and its CPU
 * groups, mounts and loop devices in its data directory, anything there but migbench's own
 * (empty) ledger and work directories, any qdisc a run puts on its shaped interface
 * (the tbf, a link fault's drop or netem), the run's short link for socket names, the run's device-mapper devices (dm-clone,
 * dm-era: `migbench-<run>-…`, src/lab/device-mapper.ts dmDeviceName) and any connected
 * kernel NBD device (a connection does not name its run: where something else connects
 * NBD devices on the same kernel, this sees it too). '' when nothing.
 */
export async function leftOnHost(h: RemoteHost, runId: string | undefined): Promise<string> {
  const d = h.spec.dataDir;
  // Both test hosts share this machine's /proc: only the run's own mark is ours to look for.
  const processes = runId ? `for e in /proc/[0-9]*/environ; do tr '\\0' '\\n' <"$e" 2>/dev/null | grep -qxF MIGBENCH_RUN_ID=${runId} && echo "process $e"; done` : '';
  const groups = runId ? `find /sys/fs/cgroup -maxdepth 1 -name 'migbench-${runId}-*' | sed 's/^/cgroup /'` : '';
  // The run's short link for socket names (src/remote/work-path.ts socketLinkPath).
  const link = runId ? `ls -d ${socketLinkPath(runId, h.spec.role)} 2>/dev/null | sed 's/^/link /'` : '';
  const dm = `dmsetup ls 2>/dev/null | awk '{print $1}' | grep -E '^migbench-${runId ?? ''}' | sed 's/^/dm /'`;
  const nbd = `for n in /sys/block/nbd*; do [ -e "$n/pid" ] && echo "nbd /dev/\${n##*/}"; done`;
  const iface = h.spec.shapeInterface;
  return h.host.sh(
    `${processes}
     ${groups}
     ${link}
     grep -F ' ${d}/' /proc/mounts | sed 's/^/mount /'
     losetup -n -O NAME,BACK-FILE | grep -F '${loopPathPart(d)}' | sed 's/^/loop /'
     find ${d} -mindepth 1 -not -path '${remoteLedgerDir(h.spec)}' -not -path '${d}/work' | sed 's/^/path /'
     ls ${remoteLedgerDir(h.spec)} 2>/dev/null | sed 's/^/ledger /'
     ${dm}
     ${nbd}
     ${iface ? `tc qdisc show dev ${iface} | grep -E 'tbf|netem|pfifo limit 0p' | sed 's/^/qdisc /'` : ''}
     true`,
  );
}
