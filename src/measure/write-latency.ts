import type { AckRecord } from '../workload/records.js';
import { percentileSorted } from './percentiles.js';

/**
 * p99 of write latency, µs, of the acks of instance `epoch` whose write started in
 * [fromNs, toNs): each write timed from its stamp (taken right before the write) to its
 * acknowledgement, i.e. the time one durable write took on that device. Undefined when
 * no write falls in the window.
 */
export function writeP99Us(acks: readonly AckRecord[], epoch: number, fromNs: number, toNs: number): number | undefined {
  const lat: number[] = [];
  for (const a of acks) {
    if (a.epoch === epoch && a.stampNs >= fromNs && a.stampNs < toNs) lat.push((a.ackNs - a.stampNs) / 1e3);
  }
  if (lat.length === 0) return undefined;
  return percentileSorted(Float64Array.from(lat).sort(), 0.99);
}
