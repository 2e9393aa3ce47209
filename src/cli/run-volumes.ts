import { setMaxListeners } from 'node:events';
import { drainMs } from '../measure/app-metrics.js';
import type { RunRow, TimelineRow } from '../results/columns.js';
import { failedRow, resultRow } from '../results/rows.js';
import { timelineRows } from '../results/timeline-rows.js';
import { runDrain } from '../strategy/drain.js';
import { RepetitionError, runRepetition, type RepetitionInput } from '../strategy/run-repetition.js';
import { formatMs, repetitionLine } from '../analysis/summary-format.js';
import type { Progress } from './progress.js';

export interface VolumesOutput {
  /** `rep 1/3 async-clone`, for progress lines. */
  label: string;
  progress: Progress;
  /** The run's own signal (Ctrl-C), as opposed to the repetition's, which also times out. */
  runSignal: AbortSignal;
  add(row: RunRow, windows: TimelineRow[]): void;
}

/**
 * One strategy × repetition of a run with `--workload http` and/or `--volumes N`: one
 * repetition, or a drain of N in parallel. Writes one row per volume (a drain's rows
 * all carry its `drain_ms`) and returns how many failed.
 */
export async function runVolumes(input: Omit<RepetitionInput, 'onStep' | 'onProgress' | 'volume' | 'beforeStart'>, out: VolumesOutput): Promise<number> {
  const s = input.scenario;
  const name = input.strategy.name;
  const why = (err: unknown): string => {
    if (out.runSignal.aborted) throw err;
    const message = err instanceof RepetitionError ? err.message : String(err);
    return input.signal.aborted ? `${message} (timed out after ${s.timeoutMs / 1000} s)` : message;
  };
  if (s.volumes === 1) {
    try {
      const r = await runRepetition({ ...input, onStep: (step) => out.progress.stepTo(step, step === name ? 'migrating' : step), onProgress: (f) => out.progress.fraction(f) });
      const row = resultRow(input.runId, s, input.link, r);
      out.add(row, timelineRows(input.runId, r, s.windowMs));
      out.progress.end(`${out.label}: ${repetitionLine(row)}`);
      return 0;
    } catch (err) {
      const w = why(err);
      out.add(failedRow(input.runId, s, input.link, name, input.rep, w), []);
      out.progress.end(`${out.label}: FAILED — ${w}`);
      return 1;
    }
  }
  // Every volume's steps listen on the one signal; more than Node's default of 10 is expected.
  setMaxListeners(20 * s.volumes, input.signal);
  // No bar in a drain: A's byte counter is shared by every volume.
  const steps = new Map<number, string>();
  const settled = await runDrain(s.volumes, s.staggerMs, input.signal, (volume, beforeStart) =>
    runRepetition({
      ...input,
      volume,
      beforeStart,
      onStep: (step) => {
        steps.set(volume, step);
        out.progress.stepTo([...steps].map(([v, st]) => `v${v} ${st}`).join(', '));
      },
    }),
  );
  const results = settled.map((x, i) => (x.status === 'fulfilled' ? { ...x, value: { ...x.value, volume: i + 1 } } : x));
  const ok = results.flatMap((x) => (x.status === 'fulfilled' ? [x.value] : []));
  const drain = drainMs(ok.map((r) => ({ startNs: r.timeline.get('start'), releasedNs: r.timeline.get('source_released') })));
  const drainCell = ok.length === s.volumes && !Number.isNaN(drain) ? Number(drain.toFixed(3)) : '';
  let failures = 0;
  results.forEach((x, i) => {
    const volume = i + 1;
    if (x.status === 'fulfilled') {
      const row = { ...resultRow(input.runId, s, input.link, x.value), drain_ms: drainCell };
      out.add(row, timelineRows(input.runId, x.value, s.windowMs));
      out.progress.line(`${out.label} volume ${volume}/${s.volumes}: ${repetitionLine(row)}`);
    } else {
      failures++;
      const w = why(x.reason);
      out.add({ ...failedRow(input.runId, s, input.link, name, input.rep, w), volume }, []);
      out.progress.line(`${out.label} volume ${volume}/${s.volumes}: FAILED — ${w}`);
    }
  });
  const drained = failures
    ? `${failures} of ${s.volumes} volumes failed`
    : drainCell === ''
      ? `${s.volumes} volumes done`
      : `drained ${s.volumes} volumes in ${formatMs(drainCell)} ms`;
  out.progress.end(`${out.label}: ${drained}`);
  return failures;
}
