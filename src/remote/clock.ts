/**
 * Clock offsets between the controller and a host, NTP-style (pure). Every timestamp a
 * process takes is CLOCK_MONOTONIC of its own machine (`process.hrtime`); events from
 * different machines are compared only after mapping each host's times onto the
 * controller's clock: controllerNs = hostNs − offsetNs.
 */

/** One round trip: the controller's clock when it asked, the host's answer, the controller's clock when it arrived. */
export interface ClockSample {
  sentNs: number;
  hostNs: number;
  receivedNs: number;
}

/** A host's offset as one measurement found it. */
export interface ClockEstimate {
  /** host clock − controller clock, ns. */
  offsetNs: number;
  /** Half the round trip of the sample used: the true offset is within ± this. */
  uncertaintyNs: number;
  /** Round trip of the sample used. */
  rttNs: number;
  /** Round trips taken. */
  samples: number;
}

/**
 * The offset from the tightest of `samples` (pure): the host read its clock somewhere
 * between sent and received, so assuming the middle is off by at most half the round
 * trip, and the shortest round trip bounds it best (queueing only ever adds).
 */
export function estimateOffset(samples: readonly ClockSample[]): ClockEstimate {
  if (samples.length === 0) throw new RangeError('no clock samples');
  let best = samples[0]!;
  for (const s of samples) if (s.receivedNs - s.sentNs < best.receivedNs - best.sentNs) best = s;
  const rttNs = best.receivedNs - best.sentNs;
  return { offsetNs: best.hostNs - (best.sentNs + rttNs / 2), uncertaintyNs: rttNs / 2, rttNs, samples: samples.length };
}

/** A host's clock over a run: measured before and after, and what the correction uses. */
export interface HostClock {
  before: ClockEstimate;
  after?: ClockEstimate;
  /** The offset timestamps are corrected by: the mean of before and after (before alone until after exists). */
  offsetNs: number;
  /** Bound on the error of a corrected timestamp: the worse half round trip plus half the drift over the run. */
  uncertaintyNs: number;
  /** after − before offset: how far the clocks drifted apart during the run. */
  driftNs: number;
}

/** Combines the measurements before and (if taken) after a run into one correction (pure). */
export function hostClock(before: ClockEstimate, after?: ClockEstimate): HostClock {
  if (!after) return { before, offsetNs: before.offsetNs, uncertaintyNs: before.uncertaintyNs, driftNs: 0 };
  const driftNs = after.offsetNs - before.offsetNs;
  return {
    before,
    after,
    offsetNs: (before.offsetNs + after.offsetNs) / 2,
    uncertaintyNs: Math.max(before.uncertaintyNs, after.uncertaintyNs) + Math.abs(driftNs) / 2,
    driftNs,
  };
}

/** A host timestamp on the controller's clock (pure). */
export function toControllerNs(hostNs: number, clock: Pick<HostClock, 'offsetNs'>): number {
  return hostNs - clock.offsetNs;
}

/**
 * The default bound on a clock's uncertainty (`--max-clock-uncertainty`): 2 ms. An
 * interruption is tens of ms and more; the bound keeps its error to a few per cent, and
 * a LAN round trip over a shared SSH connection is well under it.
 */
export const DEFAULT_MAX_CLOCK_UNCERTAINTY_MS = 2;

/** Why the clocks cannot be trusted, or undefined (pure). */
export function clockProblem(clocks: Readonly<Record<string, HostClock>>, maxUncertaintyNs: number): string | undefined {
  const bad = Object.entries(clocks).filter(([, c]) => c.uncertaintyNs > maxUncertaintyNs);
  if (!bad.length) return undefined;
  const list = bad.map(([h, c]) => `${h} ±${(c.uncertaintyNs / 1e6).toFixed(3)} ms`).join(', ');
  return `clock offset uncertainty above ${(maxUncertaintyNs / 1e6).toFixed(3)} ms: ${list} (a slow or busy link to the host; raise --max-clock-uncertainty to accept it)`;
}
