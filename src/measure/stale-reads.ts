import type { AckRecord, ReadRecord } from '../workload/records.js';
import { BlockState } from '../workload/stamp.js';
import { applyAck, emptyLatest, holdsLatest, type Journal } from './journal.js';

/**
 * Counts reads that returned stale data: a version older than the latest write that was
 * acknowledged (by any instance) before the read was scheduled. Replays acks and reads
 * in time order against a latest-ack table. Corrupt reads are counted apart.
 */
export function staleReads(journal: Journal): { stale: number; corrupt: number; checked: number } {
  const n = journal.blocks;
  const latest = emptyLatest(n);
  const acks: AckRecord[] = [...journal.acks].sort((a, b) => a.ackNs - b.ackNs);
  const reads: ReadRecord[] = [...journal.reads].sort((a, b) => a.scheduledNs - b.scheduledNs);
  const fill = journal.fill;
  let fillApplied = false;
  let ai = 0;
  let stale = 0;
  let corrupt = 0;
  for (const r of reads) {
    if (fill && !fillApplied && fill.ackNs < r.scheduledNs) {
      latest.applyFill(fill);
      fillApplied = true;
    }
    while (ai < acks.length && acks[ai]!.ackNs < r.scheduledNs) applyAck(latest, acks[ai++]!);
    if (r.state === BlockState.Corrupt) corrupt++;
    else if (r.state === BlockState.Zero ? latest.acknowledged(r.index) : !holdsLatest(latest, r.index, r.epoch, r.seq, r.stampNs)) stale++;
  }
  return { stale, corrupt, checked: reads.length };
}
