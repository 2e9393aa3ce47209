import { rm } from 'node:fs/promises';
import { isSameProcess } from './proc.js';
import { killIfSame, releaseEntry } from './release-entry.js';
import { readLedgers, type LedgerEntry, type LedgerState } from './ledger.js';
import { processesOfRun } from './run-marker.js';

export interface CleanupReport {
  released: string[];
  skippedLive: string[];
  /** What could not be released, and why. */
  failed: string[];
}

/** How long one release step may take before cleanup reports it and moves on. */
export const RELEASE_STEP_TIMEOUT_MS = 30_000;

/**
 * The order cleanup releases kinds in: what holds memory and space first, so cleanup
 * works on a starved machine (a tmpfs full of backing files, daemons holding memory):
 * processes, then the mounts, device-mapper and NBD devices stacked on loop devices, the
 * loop devices themselves, then their backing files; directories, the hosts' CPU cgroups
 * (empty once their processes are gone) and namespaces last.
 */
const KIND_ORDER: readonly LedgerEntry['kind'][] = ['process', 'mount', 'dm', 'nbd', 'loop', 'file', 'dir', 'cgroup', 'qdisc', 'netns'];

/**
 * A ledger's open entries in release order (pure): by {@link KIND_ORDER}, and newest
 * first within a kind (a stack built in order is taken down in reverse).
 */
export function releaseOrder(open: readonly LedgerEntry[]): LedgerEntry[] {
  const rank = (e: LedgerEntry): number => KIND_ORDER.indexOf(e.kind);
  return open
    .map((e, i) => ({ e, i }))
    .sort((x, y) => rank(x.e) - rank(y.e) || y.i - x.i)
    .map((x) => x.e);
}

/** Runs `step`, or rejects once `ms` have passed (the step is then reported, not awaited). */
async function bounded(step: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s`)), ms);
  });
  try {
    await Promise.race([step, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Releases what killed runs left behind: for every ledger whose owner is gone, first the
 * processes carrying its run's mark (see run-marker.ts: they may predate their ledger
 * line), then every open entry in {@link releaseOrder}, each step bounded by
 * `stepTimeoutMs` and reported on failure. Ledgers of runs still alive are left alone.
 * A ledger whose entries are all released is deleted.
 */
export async function cleanupLeftovers(ledgers: LedgerState[] = readLedgers(), stepTimeoutMs = RELEASE_STEP_TIMEOUT_MS): Promise<CleanupReport> {
  const report: CleanupReport = { released: [], skippedLive: [], failed: [] };
  for (const l of ledgers) {
    if (l.ownerPid && l.ownerPid !== process.pid && isSameProcess(l.ownerPid, l.ownerStartTime)) {
      report.skippedLive.push(`${l.runId} (pid ${l.ownerPid})`);
      continue;
    }
    let ok = true;
    const recorded = new Set(l.open.flatMap((e) => (e.kind === 'process' ? [e.pid] : [])));
    const marked: LedgerEntry[] = (l.runId ? processesOfRun(l.runId) : [])
      .filter((p) => !recorded.has(p.pid))
      .map((p) => ({ kind: 'process', ...p, comm: `process of run ${l.runId}` }));
    // Entries on real hosts are left to `cleanup --hosts` (that host's own ledger names them too).
    const steps = [...marked, ...releaseOrder(l.open.filter((e) => e.host === undefined))];
    // Every process is signalled before any is waited for: one blocked in I/O on a device
    // another serves (fio on the clone, its NBD client next in line) exits only once that
    // one is gone too.
    for (const e of steps) if (e.kind === 'process') killIfSame(e.pid, e.startTime);
    for (const e of steps) {
      const what = `${e.kind} ${JSON.stringify(e)}`;
      try {
        await bounded(releaseEntry(e, l.runId || undefined), stepTimeoutMs);
        report.released.push(what);
      } catch (err) {
        ok = false;
        report.failed.push(`${what}: ${(err as Error).message}`);
      }
    }
    if (ok) await rm(l.path, { force: true });
  }
  return report;
}
