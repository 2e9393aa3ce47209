/**
 * `migbench plan`: what a fleet drain of N volumes of a size, C at a time over one link,
 * would cost with each strategy, from a run's measurements. Size-dependent parts are
 * physics (bytes over the link share, see plan-model.ts), constants are fitted per
 * repetition, the drain is scheduled in waves over the one link (schedule.ts), and every
 * figure says whether it was measured, fitted or extrapolated. Pure: the CLI reads and prints.
 */
import { median } from 'simple-statistics';
import { distinct } from './groups.js';
import { MODELS, predictRep, repConstants, type RepConstants, type RepPrediction, type StrategyModel } from './plan-model.js';
import { linkFloorMs, schedule, type Schedule, type VolumeFigures } from './schedule.js';
import { num, values, type Row } from '../results/read-results.js';
import { formatBitRate, formatBytes } from '../scenario/units.js';

/** The fleet to plan for. */
export interface PlanTarget {
  sizeBytes: number;
  /** Link rate asked for, bits per second. */
  linkBps: number;
  volumes: number;
  /** Volumes migrated at once over the link (each gets 1/concurrency of it). */
  concurrency: number;
  /** Write rate per volume, bit/s; undefined: as measured. */
  writeRateBps?: number | undefined;
  /** Strategies asked for; undefined: every strategy in the run. */
  strategies?: readonly string[] | undefined;
}

/** What the run's strategy registry knows that rows cannot say. */
export interface PlanContext {
  /** false for strategies that may lose acknowledged writes by design; undefined when unknown. */
  expectsNoLoss?: (strategy: string) => boolean | undefined;
}

/** Median and range over the repetitions' predictions. */
export interface Range {
  median: number;
  min: number;
  max: number;
}

/** A constant fitted from the repetitions. */
export interface Fitted extends Range {
  name: string;
  unit: 'ms' | 'ratio' | 'bytes';
}

/** A target quantity outside what the run measured. */
export interface Extrapolation {
  quantity: 'size' | 'link' | 'concurrency' | 'write rate';
  target: number;
  measuredMin: number;
  measuredMax: number;
  /** How far outside: target / largest measured (> 1) or smallest measured / target. */
  factor: number;
  text: string;
}

/** One strategy's plan. Times are ms; per-volume figures are for a volume of a full wave. */
export interface StrategyPlan {
  strategy: string;
  formula: string;
  /** Measured outcome: acknowledged writes lost / both sides writing; `label` for people. */
  safety: { losesData: boolean; splitBrain: boolean; mayLoseByDesign: boolean; label: string };
  interruptionMs: Range;
  exposureMs: Range;
  splitBrainMs: Range;
  migrationMs: Range;
  drainMs: Range;
  /** The drain scheduled with each figure's median. */
  schedule: Schedule;
  /** Measured over the successful repetitions (not scaled to the target). */
  loss: { lostBytes: Range; corruptBytes: Range; lostRequests?: Range };
  failed: { failed: number; total: number; errors: string[] };
  basis: { measured: string[]; fitted: Fitted[]; extrapolated: Extrapolation[]; text: string };
  repetitions: number;
}

export interface Plan {
  target: Required<Omit<PlanTarget, 'writeRateBps' | 'strategies'>> & { writeRateBps: number | null; strategies: string[] };
  /** What the run covered (successful rows of the planned strategies). */
  measured: { sizesBytes: number[]; linksBps: number[]; linkMeasuredBps: number[]; writeRatesBps: number[]; concurrency: number[] };
  /** Measured / asked link rate (median over the run), applied to the target link. */
  linkEfficiency: number;
  /** N × size × 8 / (link × link efficiency): no drain is faster. */
  linkFloorMs: number;
  strategies: StrategyPlan[];
  /** Strategies in the run the plan has no figures for, and why. */
  unanswered: { strategy: string; reason: string }[];
  /** One line each, for the whole plan. */
  caveats: string[];
}

/** The data cannot answer the question asked (exit 2): each reason names the strategy. */
export class PlanError extends Error {
  override readonly name = 'PlanError';
  constructor(readonly reasons: string[]) {
    super(reasons.join('; '));
  }
}

/**
 * Volumes migrated together in a row's repetition: rows of a drain carry a `volume`
 * number, and the rows of one drain share run, strategy, rep, sweep point and size.
 */
function concurrencyOf(rows: readonly Row[]): (r: Row) => number {
  const count = new Map<string, number>();
  const key = (r: Row): string => [r.run_id, r.strategy, r.rep, r.sweep_point ?? '', r.size_bytes].join('|');
  const inDrain = (r: Row): boolean => (r.volume ?? '').trim() !== '';
  for (const r of rows) if (inDrain(r)) count.set(key(r), (count.get(key(r)) ?? 0) + 1);
  return (r) => (inDrain(r) ? (count.get(key(r)) ?? 1) : 1);
}

const rangeOf = (xs: readonly number[]): Range => (xs.length ? { median: median([...xs]), min: Math.min(...xs), max: Math.max(...xs) } : { median: 0, min: 0, max: 0 });
const uniq = (xs: readonly number[]): number[] => [...new Set(xs)].sort((a, b) => a - b);
const times = (f: number): string => (f >= 10 ? f.toFixed(0) : f.toFixed(1));

/** How far `target` lies outside [min, max], or undefined inside (with 1 % slack for rounding). */
export function outside(quantity: Extrapolation['quantity'], target: number, measured: readonly number[], show: (v: number) => string): Extrapolation | undefined {
  if (!measured.length) return undefined;
  const measuredMin = Math.min(...measured);
  const measuredMax = Math.max(...measured);
  const [big, small] = quantity === 'link' ? ['fastest', 'slowest'] : quantity === 'write rate' ? ['highest', 'lowest'] : ['largest', 'smallest'];
  if (target > measuredMax * 1.01) {
    const factor = target / measuredMax;
    const text = quantity === 'concurrency' ? `concurrency ${target}, measured only ${measured.join(', ')}` : `${quantity} ${times(factor)}× the ${big} measured (${show(measuredMax)})`;
    return { quantity, target, measuredMin, measuredMax, factor, text };
  }
  if (target < measuredMin / 1.01) {
    const factor = measuredMin / target;
    const text = quantity === 'concurrency' ? `concurrency ${target}, measured only ${measured.join(', ')}` : `${quantity} 1/${times(factor)} of the ${small} measured (${show(measuredMin)})`;
    return { quantity, target, measuredMin, measuredMax, factor, text };
  }
  return undefined;
}

/** An extrapolation in a few characters, for a table cell: `size 400×`, `link 1/4`. */
export function shortText(e: Extrapolation): string {
  if (e.quantity === 'concurrency') return `concurrency ${e.target} (measured ${e.measuredMax})`;
  return `${e.quantity} ${e.target > e.measuredMax ? `${times(e.factor)}×` : `1/${times(e.factor)}`}`;
}

/** Pre-copy converges while writes stay well below the link share: beyond what was measured, the data cannot say. */
function precopyQuestion(strategy: string, ok: readonly Row[], conc: (r: Row) => number, t: PlanTarget, shareBps: number): string | undefined {
  const rates = values(ok, 'write_rate_bps');
  if (!rates.length) return undefined;
  const maxRate = Math.max(...rates);
  if (t.writeRateBps !== undefined && t.writeRateBps > maxRate * 1.01) {
    return `${strategy}: write rate ${formatBitRate(t.writeRateBps)} is above the highest measured (${formatBitRate(maxRate)}); whether its passes converge depends on it — measure it (migbench run --strategy ${strategy} --write-rate …) or leave it out (--strategy)`;
  }
  const pressures = ok.map((r) => (num(r, 'write_rate_bps') ?? 0) / ((num(r, 'link_measured_bps') ?? num(r, 'link_bps') ?? Infinity) / conc(r)));
  const measured = Math.max(...pressures);
  const writes = t.writeRateBps ?? median(rates);
  const target = writes / shareBps;
  if (target > measured * 1.01) {
    return `${strategy}: writes of ${formatBitRate(writes)} would be ${(target * 100).toFixed(1)} % of each volume's link share (${formatBitRate(shareBps)}), the run measured at most ${(measured * 100).toFixed(1)} %; whether its passes converge there is not in the data — measure that link or leave it out (--strategy)`;
  }
  return undefined;
}

function lossOf(ok: readonly Row[]): StrategyPlan['loss'] {
  const loss: StrategyPlan['loss'] = { lostBytes: rangeOf(values(ok, 'lost_bytes')), corruptBytes: rangeOf(values(ok, 'corrupt_bytes')) };
  const requests = values(ok, 'lost_requests');
  if (requests.length) loss.lostRequests = rangeOf(requests);
  return loss;
}

function safetyOf(strategy: string, ok: readonly Row[], ctx: PlanContext): StrategyPlan['safety'] {
  const any = (col: string): boolean => values(ok, col).some((v) => v > 0);
  const losesData = any('lost_bytes') || any('corrupt_bytes') || any('lost_requests') || any('lost_commits');
  const splitBrain = any('split_brain_ms') || any('diverged_bytes');
  const mayLoseByDesign = ctx.expectsNoLoss?.(strategy) === false;
  const marks = [losesData ? 'LOSES DATA' : mayLoseByDesign ? 'may lose (none measured)' : '', splitBrain ? 'SPLIT BRAIN' : ''].filter(Boolean);
  return { losesData, splitBrain, mayLoseByDesign, label: marks.length ? marks.join(', ') : 'no loss' };
}

/** Medians over the repetitions of each figure at one share of the link. */
function medianFigures(model: StrategyModel, reps: readonly RepConstants[], sizeBytes: number): (shareBps: number) => VolumeFigures {
  return (shareBps) => {
    const ps = reps.map((c) => predictRep(model, c, sizeBytes, shareBps));
    const m = (k: keyof RepPrediction): number => median(ps.map((p) => p[k]));
    return { migration: m('migration'), transfer: m('transfer'), interruption: m('interruption'), exposure: m('exposure'), splitBrain: m('splitBrain') };
  };
}

function fittedOf(model: StrategyModel, reps: readonly RepConstants[]): Fitted[] {
  const f = (name: string, unit: Fitted['unit'], xs: (number | undefined)[]): Fitted[] => {
    const v = xs.filter((x): x is number => x !== undefined);
    return v.length ? [{ name, unit, ...rangeOf(v) }] : [];
  };
  return [
    // The fixed part that matters: the interruption's, or the split brain's for strategies that never stop.
    ...(reps.some((c) => c.fixed.interruption > 0) ? f('fixed interruption', 'ms', reps.map((c) => c.fixed.interruption)) : f('fixed split brain', 'ms', reps.map((c) => c.fixed.splitBrain))),
    ...f(model.bulk === 'hydration_ms' ? 'hydration efficiency' : 'copy efficiency', 'ratio', reps.map((c) => c.efficiency)),
    ...f('kill', 'ms', reps.map((c) => c.killMs)),
    ...f('boot', 'ms', reps.map((c) => c.bootMs)),
    ...(model.interruption === 'final-delta' ? f('final delta', 'bytes', reps.map((c) => c.finalDeltaBytes)) : []),
  ];
}

const ms = (v: number): string => (v >= 10_000 ? `${(v / 1000).toFixed(0)} s` : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(0)} ms`);
const fittedText = (f: Fitted): string => {
  const show = (v: number): string => (f.unit === 'ms' ? ms(v) : f.unit === 'bytes' ? formatBytes(Math.round(v)) : v.toFixed(3));
  return f.min === f.max ? `${f.name} ${show(f.median)}` : `${f.name} ${show(f.median)} (${show(f.min)}–${show(f.max)})`;
};

/**
 * The plan for `t` from the rows of a run. Throws PlanError when the data cannot answer:
 * no successful repetition of any planned strategy, a strategy asked for that the run has
 * no figures for, or pre-copy at a write pressure beyond the measured one.
 */
export function plan(rows: readonly Row[], t: PlanTarget, ctx: PlanContext = {}): Plan {
  const inRun = distinct(rows, 'strategy');
  const asked = t.strategies ?? inRun;
  const notInRun = asked.filter((s) => !inRun.includes(s));
  if (notInRun.length) throw new PlanError(notInRun.map((s) => `${s}: not in the run (it has ${inRun.join(', ')})`));
  const planned = rows.filter((r) => asked.includes(r.strategy ?? ''));
  const okRows = planned.filter((r) => r.status === 'ok');
  if (!okRows.length) throw new PlanError([`no successful repetition of ${t.strategies ? asked.join(', ') : 'any strategy'} in the run: nothing to calibrate a model on`]);

  const conc = concurrencyOf(rows);
  const concurrency = Math.max(1, Math.min(t.concurrency, t.volumes));
  const ratios = okRows.map((r) => (num(r, 'link_measured_bps') ?? NaN) / (num(r, 'link_bps') ?? NaN)).filter((x) => Number.isFinite(x) && x > 0);
  const linkEfficiency = ratios.length ? median(ratios) : 1;
  const linkBps = t.linkBps * linkEfficiency;
  const fullShare = linkBps / concurrency;
  const caveats: string[] = [];
  if (!ratios.length) caveats.push('the run measured no link: assuming the target link delivers its full rate');

  const strategies: StrategyPlan[] = [];
  const unanswered: Plan['unanswered'] = [];
  const questions: string[] = [];
  for (const strategy of asked) {
    const all = planned.filter((r) => r.strategy === strategy);
    const ok = all.filter((r) => r.status === 'ok');
    const failedRows = all.filter((r) => r.status !== 'ok');
    const model = MODELS[strategy];
    const reps = model ? ok.map((r) => repConstants(model, r, conc(r))) : [];
    const usable = reps.filter((c): c is RepConstants => typeof c !== 'string');
    const why = !model ? 'no model for this strategy in plan-model.ts' : !ok.length ? `no successful repetition (${failedRows.length}/${all.length} failed)` : !usable.length ? `its rows cannot calibrate the model: ${reps[0] as string}` : undefined;
    if (why) {
      if (t.strategies) questions.push(`${strategy}: ${why}`);
      else unanswered.push({ strategy, reason: why });
      continue;
    }
    if (model!.interruption === 'final-delta') {
      const q = precopyQuestion(strategy, ok, conc, t, fullShare);
      if (q) questions.push(q);
    }
    const m = model!;
    const perRep = usable.map((c) => predictRep(m, c, t.sizeBytes, fullShare));
    const drains = usable.map((c) => schedule(t.volumes, concurrency, linkBps, (share) => predictRep(m, c, t.sizeBytes, share)).drainMs);
    const sched = schedule(t.volumes, concurrency, linkBps, medianFigures(m, usable, t.sizeBytes));
    const drain = rangeOf(drains);
    const extrapolated = [
      outside('size', t.sizeBytes, uniq(values(ok, 'size_bytes')), formatBytes),
      outside('link', t.linkBps, uniq(values(ok, 'link_bps')), formatBitRate),
      outside('concurrency', concurrency, uniq(ok.map(conc)), String),
      t.writeRateBps === undefined ? undefined : outside('write rate', t.writeRateBps, uniq(values(ok, 'write_rate_bps')), formatBitRate),
    ].filter((e): e is Extrapolation => e !== undefined);
    const fitted = fittedOf(m, usable);
    const measuredWrites = uniq(values(ok, 'write_rate_bps'));
    const at = `${uniq(values(ok, 'size_bytes')).map(formatBytes).join(', ')}${measuredWrites.length ? `, ${measuredWrites.map(formatBitRate).join(', ')} of writes` : ''}`;
    strategies.push({
      strategy,
      formula: m.formula,
      safety: safetyOf(strategy, ok, ctx),
      interruptionMs: rangeOf(perRep.map((p) => p.interruption)),
      exposureMs: rangeOf(perRep.map((p) => p.exposure)),
      splitBrainMs: rangeOf(perRep.map((p) => p.splitBrain)),
      migrationMs: rangeOf(perRep.map((p) => p.migration)),
      // The median schedule's length lies within the repetitions' range up to rounding of medians.
      drainMs: { median: sched.drainMs, min: Math.min(drain.min, sched.drainMs), max: Math.max(drain.max, sched.drainMs) },
      schedule: sched,
      loss: lossOf(ok),
      failed: { failed: failedRows.length, total: all.length, errors: [...new Set(failedRows.map((r) => r.error ?? '').filter(Boolean))] },
      basis: {
        measured: [`loss, failures (at ${at})`],
        fitted,
        extrapolated,
        text: [`fitted n=${usable.length}: ${fitted.slice(0, 2).map(fittedText).join(', ')}`, extrapolated.length ? `extrapolated: ${extrapolated.map(shortText).join(', ')}` : 'within the measured range'].join('; '),
      },
      repetitions: all.length,
    });
  }
  if (questions.length) throw new PlanError(questions);
  if (!strategies.length) throw new PlanError([`no strategy has figures to plan with: ${unanswered.map((u) => `${u.strategy}: ${u.reason}`).join('; ')}`]);

  const ext = new Map<string, Extrapolation>();
  for (const e of strategies.flatMap((s) => s.basis.extrapolated)) if ((ext.get(e.quantity)?.factor ?? 0) < e.factor) ext.set(e.quantity, e);
  if (ext.size) caveats.push(`extrapolated: ${[...ext.values()].map((e) => e.text).join(', ')}; the transfer is physics, the fixed parts and efficiencies are assumed to hold there`);
  const sizes = uniq(values(okRows, 'size_bytes'));
  const writes = uniq(values(okRows, 'write_rate_bps'));
  caveats.push(`loss, split-brain outcome and failures are as measured (${sizes.map(formatBytes).join(', ')}${writes.length ? `, ${writes.map(formatBitRate).join(', ')} of writes` : ''}), not scaled to the target`);

  return {
    target: { sizeBytes: t.sizeBytes, linkBps: t.linkBps, volumes: t.volumes, concurrency, writeRateBps: t.writeRateBps ?? null, strategies: [...asked] },
    measured: {
      sizesBytes: sizes,
      linksBps: uniq(values(okRows, 'link_bps')),
      linkMeasuredBps: uniq(values(okRows, 'link_measured_bps')),
      writeRatesBps: writes,
      concurrency: uniq(okRows.map(conc)),
    },
    linkEfficiency,
    linkFloorMs: linkFloorMs(t.volumes, t.sizeBytes, linkBps),
    strategies,
    unanswered,
    caveats,
  };
}
