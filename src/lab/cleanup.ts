import { rm } from 'node:fs/promises';
import { isSameProcess } from './proc.js';
import { readLedgers, type LedgerState } from './ledger.js';
import { releaseEntry } from './release-entry.js';

export interface CleanupReport {
  released: string[];
  skippedLive: string[];
  failed: string[];
}

/**
 * Releases what killed runs left behind: every open entry of every ledger whose owner is
 * gone, newest first. Ledgers of runs still alive are left alone. A ledger whose entries
 * are all released is deleted.
 */
export async function cleanupLeftovers(ledgers: LedgerState[] = readLedgers()): Promise<CleanupReport> {
  const report: CleanupReport = { released: [], skippedLive: [], failed: [] };
  for (const l of ledgers) {
    if (l.ownerPid && l.ownerPid !== process.pid && isSameProcess(l.ownerPid, l.ownerStartTime)) {
      report.skippedLive.push(`${l.runId} (pid ${l.ownerPid})`);
      continue;
    }
    let ok = true;
    for (const e of [...l.open].reverse()) {
      const what = `${e.kind} ${JSON.stringify(e)}`;
      try {
        await releaseEntry(e);
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
