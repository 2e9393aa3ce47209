/**
 * Client-side figures of an application workload (pure): what the clients of a service
 * saw during a migration, from the responses they received and what the destination
 * holds afterwards.
 */

/** One successful (2xx) response: the request id, which service epoch answered, and when. */
export interface AppAck {
  id: number;
  epoch: number;
  /** Arrival of the response, ns on CLOCK_MONOTONIC. */
  tNs: number;
}

/**
 * The longest interval without a successful response, in ms, over [fromNs, toNs]: the
 * edges count, so a window that ends in silence reports that silence. NaN without a window.
 */
export function clientGapMs(ackTimesNs: readonly number[], fromNs: number, toNs: number): number {
  if (!(toNs > fromNs)) return NaN;
  const inside = ackTimesNs.filter((t) => t >= fromNs && t <= toNs).sort((a, b) => a - b);
  let prev = fromNs;
  let gap = 0;
  for (const t of inside) {
    gap = Math.max(gap, t - prev);
    prev = t;
  }
  return Math.max(gap, toNs - prev) / 1e6;
}

/** Acknowledged request ids absent from the destination: the writes a client was told were durable and are gone. */
export function lostRequests(acks: readonly AppAck[], present: ReadonlyMap<number, number> | ReadonlySet<number>): { lost: number; sample: number[] } {
  const sample: number[] = [];
  let lost = 0;
  for (const a of acks) {
    if (!present.has(a.id)) {
      lost++;
      if (sample.length < 16) sample.push(a.id);
    }
  }
  return { lost, sample };
}

/** Time of the last successful response from service `epoch`, or undefined. */
export function lastAckOf(acks: readonly AppAck[], epoch: number): number | undefined {
  let last: number | undefined;
  for (const a of acks) if (a.epoch === epoch && (last === undefined || a.tNs > last)) last = a.tNs;
  return last;
}

/** Time of the first successful response from service `epoch`, or undefined. */
export function firstAckOf(acks: readonly AppAck[], epoch: number): number | undefined {
  let first: number | undefined;
  for (const a of acks) if (a.epoch === epoch && (first === undefined || a.tNs < first)) first = a.tNs;
  return first;
}

/**
 * Time from the first to the last event of a drain: the earliest migration start to the
 * latest source release over all volumes, ms. NaN if no volume has both.
 */
export function drainMs(volumes: readonly { startNs?: number | undefined; releasedNs?: number | undefined }[]): number {
  const starts = volumes.map((v) => v.startNs).filter((x): x is number => x !== undefined);
  const ends = volumes.map((v) => v.releasedNs).filter((x): x is number => x !== undefined);
  if (!starts.length || !ends.length) return NaN;
  return (Math.max(...ends) - Math.min(...starts)) / 1e6;
}
