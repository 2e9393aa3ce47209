/**
 * A drain's schedule over one link: N volumes in waves of at most C, the volumes of a wave
 * sharing the link equally (each gets link / volumes-in-the-wave), a wave starting when the
 * previous one has released its sources. Because every volume's transfer is its bytes over
 * its share, the waves' transfers add up to N × size / link whatever C is: concurrency
 * trades per-volume interruption against fixed costs, never against the link. Pure.
 */

/** What one volume takes when it holds `shareBps` of the link, ms. */
export interface VolumeFigures {
  /** Start → source released. */
  migration: number;
  /** The part of it that holds the link. */
  transfer: number;
  interruption: number;
  exposure: number;
  splitBrain: number;
}

/** One volume's place in the drain (times in ms from the drain's start). */
export interface ScheduledVolume extends VolumeFigures {
  volume: number;
  wave: number;
  startMs: number;
  /** When its source is released. */
  releasedMs: number;
  shareBps: number;
}

/** One wave: its volumes (numbered 1…N), when it starts and ends, each volume's share. */
export interface Wave {
  wave: number;
  volumes: number[];
  startMs: number;
  endMs: number;
  shareBps: number;
}

export interface Schedule {
  waves: Wave[];
  volumes: ScheduledVolume[];
  /** Start of the first volume → last source released. */
  drainMs: number;
}

/**
 * Schedules `volumes` volumes `concurrency` at a time over a link of `linkBps` (already
 * derated to what the link delivers). A wave lasts its slowest volume's migration, and at
 * least its transfer (the link is busy that long whatever the fixed part says).
 */
export function schedule(volumes: number, concurrency: number, linkBps: number, figures: (shareBps: number) => VolumeFigures): Schedule {
  const c = Math.max(1, Math.min(concurrency, volumes));
  const waves: Wave[] = [];
  const scheduled: ScheduledVolume[] = [];
  let t = 0;
  for (let first = 1, wave = 1; first <= volumes; first += c, wave++) {
    const members = Array.from({ length: Math.min(c, volumes - first + 1) }, (_, i) => first + i);
    const shareBps = linkBps / members.length;
    const f = figures(shareBps);
    const length = Math.max(f.migration, f.transfer);
    for (const volume of members) scheduled.push({ ...f, volume, wave, startMs: t, releasedMs: t + length, shareBps });
    waves.push({ wave, volumes: members, startMs: t, endMs: t + length, shareBps });
    t += length;
  }
  return { waves, volumes: scheduled, drainMs: t };
}

/** The least time N volumes of `sizeBytes` can take over `linkBps`: all their bytes over the whole link, ms. */
export function linkFloorMs(volumes: number, sizeBytes: number, linkBps: number): number {
  return (volumes * sizeBytes * 8 * 1000) / linkBps;
}
