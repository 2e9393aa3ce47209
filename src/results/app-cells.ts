import type { RunRow } from './columns.js';
import type { RepetitionResult } from './repetition-result.js';
import { SLOT_BYTES } from '../workload/http/slot-record.js';
import { dbColumns } from './db-cells.js';

const round = (x: number, digits = 3): number | string => (Number.isNaN(x) ? '' : Number(x.toFixed(digits)));

/**
 * The runs.csv cells an application workload fills (pure). The stamped oracle's
 * columns (lost/corrupt/diverged bytes, stale reads) are blank: this workload's loss
 * is counted in requests.
 */
export function appColumns(r: RepetitionResult): Partial<RunRow> {
  const out: Partial<RunRow> = r.volume === undefined ? {} : { volume: r.volume };
  if (!r.app) return out;
  return {
    ...out,
    client_gap_ms: round(r.app.clientGapMs),
    errors: r.app.errors,
    timeouts: r.app.timeouts,
    lost_requests: r.app.lostRequests,
    lost_bytes: '',
    corrupt_bytes: r.app.corruptSlots * SLOT_BYTES,
    diverged_bytes: '',
    stale_reads: '',
    ...(r.app.db ? dbColumns(r.app.db) : {}),
  };
}
