/**
 * The plan as text for people: what was asked and measured, the link floor, the model in
 * one line, each caveat once, one row per strategy (with where its figures come from), the
 * schedule of each drain. Pure; the `--json` output carries the same Plan object.
 */
import type { Plan, Range, StrategyPlan } from './plan.js';
import type { Schedule } from './schedule.js';
import { formatBitRate, formatBytes } from '../scenario/units.js';

/** A duration for people: ms below 1 s, one decimal below 100 s, whole seconds above. */
export function seconds(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  if (ms < 100_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 1000).toFixed(0)} s`;
}

/** `92.1 s (92.0–93.4 s)`; one value when the repetitions agree. */
export function range(r: Range, show: (v: number) => string = seconds): string {
  const [m, lo, hi] = [show(r.median), show(r.min), show(r.max)];
  return lo === hi ? m : `${m} (${lo}–${hi})`;
}

const bytes = (v: number): string => (v === 0 ? '0' : formatBytes(Math.round(v)));

function lossCell(s: StrategyPlan): string {
  const l = s.loss.lostRequests && s.loss.lostRequests.max > 0 ? s.loss.lostRequests : undefined;
  if (l) return `${l.median.toFixed(0)} / ${l.max.toFixed(0)} req`;
  return `${bytes(s.loss.lostBytes.median)} / ${bytes(s.loss.lostBytes.max)}`;
}

/** Consecutive waves of the same size and length, as one line each. */
export function scheduleLines(sched: Schedule): string[] {
  const out: string[] = [];
  const w = sched.waves;
  for (let i = 0; i < w.length; ) {
    let j = i;
    const len = (k: number): number => w[k]!.endMs - w[k]!.startMs;
    while (j + 1 < w.length && w[j + 1]!.volumes.length === w[i]!.volumes.length && Math.abs(len(j + 1) - len(i)) < 1e-6) j++;
    const a = w[i]!;
    const b = w[j]!;
    const vols = (x: (typeof w)[number]): string => (x.volumes.length === 1 ? `volume ${x.volumes[0]}` : `volumes ${x.volumes[0]}–${x.volumes.at(-1)}`);
    const which = i === j ? `wave ${a.wave} (${vols(a)})` : `waves ${a.wave}–${b.wave} (volumes ${a.volumes[0]}–${b.volumes.at(-1)})`;
    out.push(`${which}: ${a.volumes.length} at ${formatBitRate(a.shareBps)} each, ${seconds(len(i))} per wave, ${seconds(a.startMs)} → ${seconds(b.endMs)}`);
    i = j + 1;
  }
  return out;
}

function table(head: string[], body: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

/** The plan as text (ends without a newline). */
export function planText(p: Plan, source: string): string {
  const t = p.target;
  const m = p.measured;
  const lines = [
    `plan: ${t.volumes} × ${formatBytes(t.sizeBytes)} over one ${formatBitRate(t.linkBps)} link, ${t.concurrency} at a time${t.writeRateBps === null ? '' : `, ${formatBitRate(t.writeRateBps)} of writes per volume`} (from ${source})`,
    `measured: ${m.sizesBytes.map(formatBytes).join(', ')} over ${m.linksBps.map(formatBitRate).join(', ')} (delivered ${m.linkMeasuredBps.map(formatBitRate).join(', ')}: link efficiency ${(p.linkEfficiency * 100).toFixed(1)} %)` +
      `${m.writeRatesBps.length ? `, ${m.writeRatesBps.map(formatBitRate).join(', ')} of writes` : ''}, concurrency ${m.concurrency.join(', ')}`,
    `link floor: ${t.volumes} × ${formatBytes(t.sizeBytes)} × 8 / (${formatBitRate(t.linkBps)} × ${p.linkEfficiency.toFixed(3)}) = ${seconds(p.linkFloorMs)}: no drain over this link is faster`,
    `model: fixed part (kill, boot, clone set-up, per-pass overhead; fitted per repetition) + bytes × 8 / (link share × efficiency); figures are median (min–max) over the repetitions; per-volume figures for a wave of ${t.concurrency} sharing the link`,
    ...p.caveats.map((c) => `caveat: ${c}`),
    '',
  ];
  const head = ['strategy', 'safety (measured)', 'interruption/vol', 'exposure/vol', 'split brain/vol', `drain (${t.volumes} vol)`, 'lost med/max (measured)', 'failed', 'basis'];
  const body = p.strategies.map((s) => [
    s.strategy,
    s.safety.label,
    range(s.interruptionMs),
    range(s.exposureMs),
    range(s.splitBrainMs),
    range(s.drainMs),
    lossCell(s),
    `${s.failed.failed}/${s.failed.total}`,
    s.basis.text,
  ]);
  lines.push(...table(head, body));
  for (const u of p.unanswered) lines.push(`${u.strategy}: no prediction: ${u.reason}`);
  lines.push('', `schedule (waves of ${t.concurrency} over the one link; a wave starts when the previous one has released its sources):`);
  for (const s of p.strategies) {
    const [first, ...rest] = scheduleLines(s.schedule);
    lines.push(`  ${s.strategy.padEnd(16)} ${first}`, ...rest.map((l) => `  ${''.padEnd(16)} ${l}`));
  }
  const failures = p.strategies.filter((s) => s.failed.errors.length);
  if (failures.length) lines.push('', ...failures.map((s) => `failed: ${s.strategy}: ${s.failed.errors.join(' | ')}`));
  return lines.join('\n');
}
