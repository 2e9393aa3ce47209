/**
 * The writable working set, measured from the journal of acknowledged writes: how many
 * distinct blocks the workload wrote in a span, and how concentrated its writes were.
 * It is what pre-copy's convergence depends on: each round re-copies the blocks written
 * during the one before, so a small working set converges where a uniform one cannot.
 */

/** An acknowledged write: its block and when it was acknowledged. */
export interface BlockAck {
  index: number;
  ackNs: number;
}

/** Distinct blocks acknowledged in [fromNs, toNs). */
export function distinctBlocks(acks: readonly BlockAck[], fromNs: number, toNs: number): number {
  const seen = new Set<number>();
  for (const a of acks) if (a.ackNs >= fromNs && a.ackNs < toNs) seen.add(a.index);
  return seen.size;
}

/**
 * The fewest blocks that took `share` of the writes acknowledged in [fromNs, toNs): about
 * `share` × the distinct blocks for uniform writes over a large volume, a small number for
 * a hot set. 0 when nothing was written.
 */
export function hotBlocks(acks: readonly BlockAck[], fromNs: number, toNs: number, share: number): number {
  const perBlock = new Map<number, number>();
  let total = 0;
  for (const a of acks) {
    if (a.ackNs < fromNs || a.ackNs >= toNs) continue;
    perBlock.set(a.index, (perBlock.get(a.index) ?? 0) + 1);
    total++;
  }
  const counts = [...perBlock.values()].sort((x, y) => y - x);
  let covered = 0;
  let k = 0;
  while (k < counts.length && covered < share * total) covered += counts[k++]!;
  return k;
}

/**
 * Per window of `windowNs` from `firstWindowNs`: the distinct blocks acknowledged in it,
 * and the distinct blocks acknowledged from `sinceNs` to its end (undefined for windows
 * that end at or before `sinceNs`, e.g. the baseline's when `sinceNs` is the migration start).
 */
export function workingSetSeries(
  acks: readonly BlockAck[],
  firstWindowNs: number,
  windowNs: number,
  count: number,
  sinceNs: number,
): { distinct: number[]; cumulative: (number | undefined)[] } {
  const sets = Array.from({ length: count }, () => new Set<number>());
  for (const a of acks) {
    const k = Math.floor((a.ackNs - firstWindowNs) / windowNs);
    if (k >= 0 && k < count) sets[k]!.add(a.index);
  }
  const union = new Set<number>();
  const cumulative: (number | undefined)[] = [];
  for (let k = 0; k < count; k++) {
    const from = firstWindowNs + k * windowNs;
    const end = from + windowNs;
    if (end <= sinceNs) {
      cumulative.push(undefined);
      continue;
    }
    // A window straddling `sinceNs` counts only its acks from `sinceNs` on.
    if (from < sinceNs) {
      for (const a of acks) if (a.ackNs >= sinceNs && a.ackNs < end) union.add(a.index);
    } else {
      for (const b of sets[k]!) union.add(b);
    }
    cumulative.push(union.size);
  }
  return { distinct: sets.map((s) => s.size), cumulative };
}
