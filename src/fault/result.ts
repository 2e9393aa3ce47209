/** What a repetition under a fault measured of it (the runs.csv fault columns come from this). */
import type { FaultRecord } from './record.js';

/** I/O errors the workload's instances saw and went on from, by operation, both sides together. */
export interface IoErrors {
  read: number;
  write: number;
}

/** The fault's record, with what the strategy and the workload saw of it. */
export interface FaultResult extends FaultRecord {
  /** Set when the migration did not complete: the source was lost with data not yet on B. */
  unrecovered?: { unavailableBytes: number | undefined; why: string } | undefined;
  /** I/O errors of the workload instances; undefined when the workload does not count them. */
  ioErrors?: IoErrors | undefined;
  /** Times (ns) the destination's workload completed an I/O (acks, reads); for stall_ms. */
  destCompletionsNs?: readonly number[] | undefined;
}
