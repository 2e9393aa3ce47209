/**
 * What was run, where and when, in the units people use: the page's header and
 * report.json's `scenario`. From meta.json, falling back to runs.csv's parameter columns
 * (a run without meta.json, or a sweep whose points differ). Pure.
 */
import { distinct } from '../analysis/groups.js';
import type { RunMeta } from '../results/meta.js';
import { values, type Row } from '../results/read-results.js';
import { formatBitRate, formatBytes } from '../scenario/units.js';

/** One line of the header: what, in words, and the value (several for a sweep). */
export interface Fact {
  label: string;
  value: string;
}

/** Distinct values of a numeric column, formatted, in first-seen order. */
function spread(rows: readonly Row[], column: string, f: (n: number) => string): string | undefined {
  const vs = [...new Set(values(rows, column))];
  return vs.length ? vs.map(f).join(', ') : undefined;
}

const ms = (n: number): string => `${Number(n.toFixed(1))} ms`;

/** "2026-11-30 13:00:07 UTC, 5 min 20 s" from meta.json's ISO times. */
export function when(started: string | undefined, finished: string | undefined): string {
  if (!started) return '?';
  const a = new Date(started);
  if (Number.isNaN(a.getTime())) return started;
  const day = `${a.toISOString().slice(0, 10)} ${a.toISOString().slice(11, 19)} UTC`;
  const b = finished ? new Date(finished) : undefined;
  if (!b || Number.isNaN(b.getTime())) return `${day}, not finished`;
  const s = Math.round((b.getTime() - a.getTime()) / 1000);
  return `${day}, took ${s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`}`;
}

/** The scenario and provenance facts of a run. */
export function scenarioFacts(meta: Partial<RunMeta>, runs: readonly Row[]): Fact[] {
  const s = meta.scenario;
  const links = meta.links?.length ? meta.links : meta.link ? [meta.link] : [];
  const reps = new Set(runs.map((r) => `${r.strategy}|${r.sweep_point}|${r.rep}|${r.volume}`)).size;
  const failed = runs.filter((r) => r.status !== 'ok').length;
  const facts: (Fact | undefined)[] = [
    { label: 'strategies', value: distinct(runs, 'strategy').join(', ') },
    { label: 'volume size', value: spread(runs, 'size_bytes', formatBytes) ?? (s ? formatBytes(s.sizeBytes) : '?') },
    { label: 'block size', value: spread(runs, 'block_size_bytes', formatBytes) ?? '?' },
    { label: 'writes', value: spread(runs, 'write_rate_bps', (n) => `${formatBitRate(n)} (${formatBytes(n / 8)}/s)`) ?? '?' },
    { label: 'timed reads', value: spread(runs, 'read_rate_per_s', (n) => `${n} /s`) ?? '?' },
    // Results written before access patterns existed have no pattern columns.
    runs.some((r) => r.write_pattern) ? { label: 'write / read pattern', value: `${distinct(runs, 'write_pattern').join(', ')} / ${distinct(runs, 'read_pattern').join(', ')}` } : undefined,
    { label: 'link asked → measured', value: links.length ? links.map((l) => `${formatBitRate(l.requested_bps)} → ${formatBitRate(l.measured_bps)} (${((100 * l.measured_bps) / l.requested_bps).toFixed(1)} %)`).join('; ') : (spread(runs, 'link_bps', formatBitRate) ?? '?') },
    { label: 'added latency / request round trip', value: links.length ? links.map((l) => `${ms(l.latency_ms)} / ${ms(l.request_rtt_ms)}`).join('; ') : (spread(runs, 'latency_ms', ms) ?? '?') },
    { label: 'repetitions', value: `${s?.reps ?? '?'} per strategy${meta.sweep ? ` × ${meta.sweep.points.length} sweep points` : ''}; ${reps} rows, ${failed} failed` },
    s ? { label: 'workload / probe', value: `${s.workload} / ${s.probe}; window ${ms(s.windowMs)}` } : undefined,
    { label: 'clone backend / dirty tracking', value: `${meta.clone_backend ?? distinct(runs, 'backend').filter(Boolean).join(', ') ?? '–'} / ${s?.tracking ?? (distinct(runs, 'tracking').filter(Boolean).join(', ') || '–')}` },
    meta.sweep ? { label: 'sweep', value: `${meta.sweep.options.join(' × ')}: ${meta.sweep.points.map((p) => p.label).join('; ')}` } : undefined,
    { label: 'migbench / git', value: `${meta.migbench_version ?? '?'} / ${meta.git_revision?.slice(0, 12) ?? '?'}${meta.git_dirty ? ' (uncommitted changes)' : ''}` },
    { label: 'host / kernel', value: meta.host ? `${meta.host.hostname}: ${meta.host.cpu}, ${meta.host.cpus} CPUs, ${formatBytes(meta.host.memory_bytes)} / ${meta.host.kernel}` : '?' },
    { label: 'date', value: when(meta.started_at, meta.finished_at) },
    { label: 'run', value: meta.run_id ?? distinct(runs, 'run_id').join(', ') },
  ];
  return facts.filter((f): f is Fact => f !== undefined);
}

/** Whether the run varied volume size (a size plot and fits need at least two sizes). */
export function sizeVaried(runs: readonly Row[]): boolean {
  return new Set(values(runs.filter((r) => r.status === 'ok'), 'size_bytes')).size > 1;
}
