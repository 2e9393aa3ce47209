import { IoOp, type IoErrorRecord } from '../workload/records.js';
import type { IoErrors } from './result.js';

/** Failed reads and writes among `records` (pure). */
export function ioErrorCounts(records: readonly IoErrorRecord[]): IoErrors {
  let read = 0;
  let write = 0;
  for (const r of records) if (r.op === IoOp.Read) read++;
  else write++;
  return { read, write };
}
