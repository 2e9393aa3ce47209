import type { RepetitionResult } from '../strategy/result.js';
import type { RunRow } from './rows.js';
import { SLOT_BYTES } from '../workload/http/slot-record.js';

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
  };
}

/** Summary-table columns for the HTTP workload and drains, when the rows have them (pure). */
export function appSummaryColumns(rows: readonly RunRow[]): [keyof RunRow, string][] {
  const has = (c: keyof RunRow): boolean => rows.some((r) => r[c] !== '' && r[c] !== undefined);
  return [
    ...(has('client_gap_ms')
      ? ([
          ['client_gap_ms', 'client gap ms'],
          ['errors', 'errors'],
          ['timeouts', 'timeouts'],
          ['lost_requests', 'lost req.'],
        ] as [keyof RunRow, string][])
      : []),
    ...(has('drain_ms') ? ([['drain_ms', 'drain ms']] as [keyof RunRow, string][]) : []),
  ];
}
