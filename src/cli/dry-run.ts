/**
 * `migbench run --dry-run`: the plan a run would carry out, rendered from validated sweep
 * points. Pure: the caller has validated and resolved everything without provisioning.
 */
import { estimateLab, estimateRepetition, formatWallTime } from '../scenario/estimate.js';
import { groupByLink, type SweepPoint } from '../scenario/sweep.js';
import { formatBytes } from '../scenario/units.js';

/** How an `auto`-able choice resolved: `auto → dm-era`, or why it is left to the run. */
export interface Resolution {
  requested: string;
  /** What the run would use; undefined when only the run can tell (`note` says why). */
  resolved: string | undefined;
  note?: string | undefined;
}

export interface PlanInput {
  points: readonly SweepPoint[];
  /** undefined: no strategy of the run clones. */
  backend: Resolution | undefined;
  /** undefined: no strategy of the run tracks writes. */
  tracking: Resolution | undefined;
  /** `--out`, or undefined for results/<run-id>. */
  out: string | undefined;
  isRoot: boolean;
  /** What the largest point needs of the backing directory, against what it has (scenario/capacity.ts). */
  capacity?: string | undefined;
}

function resolution(r: Resolution | undefined, unused: string): string {
  if (!r) return unused;
  if (r.resolved === undefined) return `${r.requested} → decided when the run starts${r.note ? ` (${r.note})` : ''}`;
  return r.requested === r.resolved ? r.resolved : `${r.requested} → ${r.resolved}`;
}

/** The plan as text: what runs, where, with what, and a wall-time estimate. */
export function renderPlan(p: PlanInput): string {
  const first = p.points[0]!.scenario;
  const strategies = first.strategies;
  const reps = first.reps;
  const labs = groupByLink(p.points);
  const repetitions = p.points.length * strategies.length * reps;
  const swept = p.points.length > 1;

  const lines: string[] = ['migbench run --dry-run: validated; nothing was provisioned', ''];
  const row = (k: string, v: string): void => void lines.push(`  ${k.padEnd(16)}${v}`);
  row('strategies', strategies.join(', '));
  row('sweep', swept ? `${p.points.length} points` : 'none (one point)');
  row('repetitions', `${p.points.length} point(s) × ${strategies.length} strateg${strategies.length === 1 ? 'y' : 'ies'} × ${reps} = ${repetitions}, strategies interleaved`);
  row('labs', `${labs.length} (one per link setting; the link is shaped and measured once per lab)`);
  row('workload', `${first.workload}, ${first.volumes} volume${first.volumes === 1 ? '' : 's'}${first.volumes > 1 ? ` (stagger ${first.staggerMs} ms)` : ''}, probe ${first.probe}`);
  row('clone backend', resolution(p.backend, 'not used (no clone strategy)'));
  row('dirty tracking', resolution(p.tracking, 'not used (no strategy tracks writes)'));
  row('backing dir', first.backingDir);
  if (p.capacity) row('capacity', p.capacity);
  row('results', `${p.out ?? 'results/<run-id>'} (not created)`);
  if (!p.isRoot) row('note', 'the real run needs root (loop devices, network namespaces, tc)');

  lines.push('', '  point  size       block    writes (asked)  link            latency  est. per repetition');
  let totalMs = 0;
  for (const lab of labs) totalMs += estimateLab(lab[0]!.scenario);
  for (const pt of p.points) {
    const s = pt.scenario;
    const est = estimateRepetition(s);
    totalMs += est.totalMs * strategies.length * reps;
    lines.push(
      `  ${String(pt.index + 1).padEnd(7)}${formatBytes(s.sizeBytes).padEnd(11)}${formatBytes(s.blockSize).padEnd(9)}${pt.raw.writeRate.padEnd(16)}` +
        `${pt.raw.link.padEnd(16)}${`${s.latencyMs} ms`.padEnd(9)}${formatWallTime(est.totalMs)}${pt.label ? `  ${pt.label}` : ''}`,
    );
  }
  lines.push(
    '',
    `estimated wall time: about ${formatWallTime(totalMs)}`,
    '  (an estimate, not a measurement: per repetition fill + warmup + size at the link rate + health + settle + verify',
    '   + ~1 s of setup, per lab ~2 s plus a ~2 s link probe; pre-copy rounds, slow hydration and',
    '   a slower backing store take longer)',
    '',
  );
  return lines.join('\n');
}
