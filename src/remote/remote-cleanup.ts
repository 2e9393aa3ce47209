import { hostname } from 'node:os';
import { isSameProcess } from '../lab/proc.js';
import { releaseOrder, type CleanupReport } from '../lab/cleanup.js';
import type { LedgerEntry } from '../lab/ledger.js';
import { RUN_ID_ENV } from '../lab/run-marker.js';
import { shellQuote } from '../host/ssh-argv.js';
import { NBD_IOCTL_DISCONNECT } from '../lab/nbd-client.js';
import { removeCpuGroupScript } from './remote-cpu-group.js';
import type { RemoteHost } from './remote-hosts.js';
import { parseRemoteLedger, remoteLedgerDir, type RemoteLedgerState } from './remote-ledger.js';
import { isSocketLinkPath } from './work-path.js';

/** How long one release command on a host may take. */
const REMOTE_RELEASE_TIMEOUT_MS = 30_000;

/**
 * The shell that releases one entry on the host, matched by the identity the ledger
 * recorded, exactly as the controller's cleanup does (lab/release-entry.ts): a process
 * only if its start time still matches, a loop device only if backed by the recorded
 * file, paths only inside the host's data directory, but for the run's socket link
 * (work-path.ts socketLinkPath), removed only while it is a symbolic link (pure).
 */
export function releaseScript(e: LedgerEntry, dataDir: string): string | undefined {
  const q = shellQuote;
  const inside = (p: string): boolean => p === dataDir || p.startsWith(`${dataDir.replace(/\/$/, '')}/`);
  switch (e.kind) {
    case 'process':
      return `s=$(cut -d' ' -f22 /proc/${e.pid}/stat 2>/dev/null || true); [ "$s" = ${q(String(e.startTime))} ] && kill -9 ${e.pid} || true`;
    case 'loop':
      // And its recorded device when that shows `/`: a loop over an nbdfuse file whose
      // daemon is gone (as lab/loop-device.ts loopsOf).
      return `losetup -n -O NAME -j ${q(e.backingFile)} | while read -r d; do losetup -d "$d"; done${
        e.device && /^\/dev\/loop\d+$/.test(e.device)
          ? `; [ "$(cat /sys/block/${e.device.slice(5)}/loop/backing_file 2>/dev/null)" = / ] && losetup -d ${e.device} || true`
          : ''
      }`;
    case 'mount':
      // The mount table, not `mountpoint`: nbdfuse mounts over a file, and `mountpoint` wants a directory.
      return `if awk -v p=${q(e.path)} '$2 == p { f = 1 } END { exit !f }' /proc/self/mounts; then umount --lazy ${q(e.path)}; fi`;
    case 'dm':
      return `if dmsetup info ${q(e.name)} >/dev/null 2>&1; then dmsetup remove --force ${q(e.name)}; fi`;
    case 'nbd':
      // In ioctl mode, as it was connected (lab/nbd-client.ts: sshd may run in a network namespace).
      return `nbd-client -c ${q(e.device)} >/dev/null 2>&1 && nbd-client ${NBD_IOCTL_DISCONNECT.join(' ')} ${q(e.device)} || true`;
    case 'file':
      if (isSocketLinkPath(e.path)) return `if [ -L ${q(e.path)} ]; then rm -f -- ${q(e.path)}; fi`;
      return inside(e.path) ? `rm -f -- ${q(e.path)}` : undefined;
    case 'dir':
      return inside(e.path) ? `rm -rf -- ${q(e.path)}` : undefined;
    case 'qdisc':
      // Deleting the root gives the interface back the kernel's default (remote-shaping.ts shaped only over that).
      return `tc qdisc del dev ${q(e.dev)} root 2>/dev/null || true`;
    case 'netns':
      return `ip netns delete ${q(e.name)} 2>/dev/null || true`;
    case 'cgroup':
      return removeCpuGroupScript(e.path);
  }
}

/** Kills the processes on the host carrying run `runId`'s mark (their environment names it). */
export function markedKillScript(runId: string): string {
  const mark = `${RUN_ID_ENV}=${runId}`;
  return `for e in /proc/[0-9]*/environ; do p=\${e#/proc/}; p=\${p%/environ}; [ "$p" = $$ ] && continue; if tr '\\0' '\\n' < "$e" 2>/dev/null | grep -qxF ${shellQuote(mark)}; then kill -9 "$p" 2>/dev/null && echo "$p"; fi; done; true`;
}

/** Whether the controller process that owned `l` is still alive (only knowable on that controller). */
function ownerAlive(l: RemoteLedgerState): boolean | undefined {
  if (l.controller !== hostname()) return undefined;
  return l.ownerPid !== process.pid && isSameProcess(l.ownerPid, l.ownerStartTime);
}

/**
 * `migbench cleanup --hosts`: on each host, every ledger whose controller run is gone is
 * released there — first the processes carrying its run's mark, then its open entries
 * in the controller cleanup's order — and deleted once all went. Ledgers of live runs
 * and of runs another controller machine started are left alone.
 */
export async function cleanupHosts(hosts: readonly RemoteHost[]): Promise<CleanupReport> {
  const report: CleanupReport = { released: [], skippedLive: [], failed: [] };
  for (const h of hosts) {
    const dir = remoteLedgerDir(h.spec);
    let listing: string;
    try {
      listing = await h.host.sh(`[ -d ${shellQuote(dir)} ] || exit 0; for f in ${shellQuote(dir)}/*.jsonl; do [ -f "$f" ] && printf '%s\\0' "$f" && cat "$f" && printf '\\0'; done; true`);
    } catch (err) {
      report.failed.push(`${h.spec.role} (${h.spec.target}): ${(err as Error).message}`);
      continue;
    }
    const parts = listing.split('\0');
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const l = parseRemoteLedger(parts[i]!, parts[i + 1]!);
      const alive = ownerAlive(l);
      if (alive !== false) {
        report.skippedLive.push(`${h.spec.role}: ${l.runId} (${alive ? `pid ${l.ownerPid}` : `started by controller ${l.controller}`})`);
        continue;
      }
      let ok = true;
      const step = async (what: string, script: string): Promise<void> => {
        try {
          const out = await h.host.sh(script, [], { timeoutMs: REMOTE_RELEASE_TIMEOUT_MS });
          report.released.push(`${h.spec.role}: ${what}${out.trim() ? ` (${out.trim().split('\n').join(' ')})` : ''}`);
        } catch (err) {
          ok = false;
          report.failed.push(`${h.spec.role}: ${what}: ${(err as Error).message}`);
        }
      };
      if (l.runId) await step(`processes of run ${l.runId}`, markedKillScript(l.runId));
      for (const e of releaseOrder(l.open)) {
        const script = releaseScript(e, h.spec.dataDir);
        if (script === undefined) {
          ok = false;
          report.failed.push(`${h.spec.role}: ${JSON.stringify(e)}: outside the data directory ${h.spec.dataDir}, left alone`);
        } else await step(`${e.kind} ${JSON.stringify(e)}`, script);
      }
      if (ok) await step(`ledger ${l.path}`, `rm -f -- ${shellQuote(l.path)}`);
    }
  }
  return report;
}
