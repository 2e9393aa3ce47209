/**
 * What the workload delivered against what the scenario asked (docs/results.md,
 * "Rates delivered"): a writer that cannot keep up turns a scenario into a different one
 * (a pre-copy that was meant not to converge converges), so every row says what it got.
 */

/** The instants the rate windows are cut at (monotonic ns). */
export interface RateWindows {
  /** Migration start: the end of the baseline. */
  startNs: number;
  /** The source can be released (else the end of the repetition): the end of the migration. */
  migrationEndNs: number;
  /** End of the repetition (after the settle window). */
  endNs: number;
}

/** Delivered rates; undefined where the window is empty or nothing ran in it. */
export interface AchievedRates {
  /** Acknowledged write bits per second on A from its first ack to the migration start. */
  writeBpsBaseline: number | undefined;
  /** Acknowledged write bits per second of both instances, migration start → its end (the interruption included). */
  writeBpsMigration: number | undefined;
  /** Acknowledged write bits per second, end of the migration → end of the repetition. */
  writeBpsAfter: number | undefined;
  /** Timed reads on A scheduled in the baseline that completed, per second between the first and the last one's scheduled start. */
  readPerSBaseline: number | undefined;
}

const perSecond = (count: number, fromNs: number, toNs: number): number | undefined => (toNs > fromNs ? (count * 1e9) / (toNs - fromNs) : undefined);

/** Delivered write and read rates from the acks and the timed reads (pure). */
export function achievedRates(
  acks: readonly { ackNs: number }[],
  reads: readonly { scheduledNs: number; completedNs: number }[],
  blockSize: number,
  w: RateWindows,
): AchievedRates {
  let firstAck = Infinity;
  for (const a of acks) if (a.ackNs < firstAck) firstAck = a.ackNs;
  let baseline = 0;
  let migration = 0;
  let after = 0;
  for (const a of acks) {
    if (a.ackNs < w.startNs) baseline++;
    else if (a.ackNs < w.migrationEndNs) migration++;
    else if (a.ackNs < w.endNs) after++;
  }
  let firstRead = Infinity;
  for (const r of reads) if (r.scheduledNs < firstRead) firstRead = r.scheduledNs;
  let readsDone = 0;
  let lastRead = -Infinity;
  for (const r of reads) {
    if (r.scheduledNs < w.startNs && r.completedNs >= r.scheduledNs) {
      readsDone++;
      if (r.scheduledNs > lastRead) lastRead = r.scheduledNs;
    }
  }
  const bits = (n: number | undefined): number | undefined => (n === undefined ? undefined : n * blockSize * 8);
  return {
    writeBpsBaseline: baseline ? bits(perSecond(baseline, firstAck, w.startNs)) : undefined,
    writeBpsMigration: acks.length ? bits(perSecond(migration, w.startNs, w.migrationEndNs)) : undefined,
    writeBpsAfter: acks.length ? bits(perSecond(after, w.migrationEndNs, w.endNs)) : undefined,
    // Between the first and the last scheduled read (n − 1 intervals): the probe stops a
    // moment before the migration starts, and counting that gap would read as a shortfall.
    readPerSBaseline: readsDone > 1 && lastRead > firstRead ? perSecond(readsDone - 1, firstRead, lastRead) : undefined,
  };
}

/** How far short of the asked rate a baseline may fall before the row says so. */
export const RATE_SHORTFALL = 0.05;

/**
 * The `warnings` entries of a row: the baseline delivered more than {@link RATE_SHORTFALL}
 * less than asked, for writes (bits/s) or reads (per s). Entries hold no `;` (the separator).
 */
export function rateWarnings(asked: { writeBps: number; readPerS: number }, got: AchievedRates): string[] {
  const out: string[] = [];
  const short = (want: number, have: number | undefined): number | undefined => (want > 0 && (have ?? 0) < want * (1 - RATE_SHORTFALL) ? 1 - (have ?? 0) / want : undefined);
  const w = short(asked.writeBps, got.writeBpsBaseline);
  if (w !== undefined) {
    out.push(`baseline write rate ${mbps(got.writeBpsBaseline ?? 0)} MB/s is ${pct(w)} short of the ${mbps(asked.writeBps)} MB/s asked`);
  }
  const r = short(asked.readPerS, got.readPerSBaseline);
  if (r !== undefined) {
    out.push(`baseline read rate ${(got.readPerSBaseline ?? 0).toFixed(1)}/s is ${pct(r)} short of the ${asked.readPerS}/s asked`);
  }
  return out;
}

const mbps = (bitsPerS: number): string => (bitsPerS / 8 / 1e6).toFixed(2);
const pct = (x: number): string => `${(x * 100).toFixed(0)} %`;
