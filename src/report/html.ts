/**
 * The self-contained HTML report: the plots inlined as SVG, the ordering table, the fits
 * and the provenance. No script, no stylesheet or font from the network. Pure.
 */
import type { Fit } from '../analysis/fit.js';
import type { LinkRecord, RunMeta } from '../results/meta.js';
import type { OrderingRow } from '../analysis/ordering-table.js';
import { formatBitRate, formatBytes } from '../scenario/units.js';

export interface HtmlReport {
  title: string;
  meta: Partial<RunMeta>;
  /** Plots in page order: heading and SVG text. */
  plots: { title: string; svg: string }[];
  ordering: OrderingRow[];
  fits: Fit[];
  /** Rows per status, e.g. { ok: 17, failed: 1 }. */
  statuses: Record<string, number>;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const fmt = (x: number, digits = 1): string => (Number.isNaN(x) ? '–' : Number(x.toFixed(digits)).toLocaleString('en-US'));

function table(head: string[], body: string[][], numericFrom = 1): string {
  const th = head.some(Boolean) ? `<thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>` : '';
  const tr = body.map((r) => `<tr>${r.map((c, i) => `<td${i >= numericFrom ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table>${th}<tbody>\n${tr}\n</tbody></table>`;
}

function orderingHtml(rows: readonly OrderingRow[]): string {
  const showPoint = rows.some((r) => r.point);
  const head = ['strategy', ...(showPoint ? ['sweep point'] : []), 'ok/reps', 'lost (median)', 'split brain ms', 'interruption ms', 'measured', 'theory predicts', 'as predicted'];
  const body = rows.map((r) => [
    escapeHtml(r.strategy),
    ...(showPoint ? [escapeHtml(r.point)] : []),
    `${r.ok}/${r.reps}`,
    Number.isNaN(r.lost_bytes) ? '–' : escapeHtml(formatBytes(r.lost_bytes)),
    fmt(r.split_brain_ms),
    fmt(r.interruption_ms),
    escapeHtml(r.measured),
    escapeHtml(r.predicted || '(not in the registry)'),
    r.asPredicted === undefined ? '–' : r.asPredicted ? 'yes' : '<b class="bad">no</b>',
  ]);
  return table(head, body, showPoint ? 2 : 1);
}

function fitsHtml(fits: readonly Fit[]): string {
  if (fits.length === 0) return '<p>No fit: no successful repetition with a volume size.</p>';
  const MiB = 2 ** 20;
  const withSeries = fits.some((f) => f.series);
  const body = fits.map((f) => [
    escapeHtml(f.strategy) + (withSeries ? ` @ ${escapeHtml(f.series ?? '')}` : ''),
    escapeHtml(f.metric),
    f.x === 'size_bytes' ? `${fmt(f.intercept, 1)} + ${(f.slope * MiB).toPrecision(3)} × MiB` : `${fmt(f.intercept, 1)} + ${f.slope.toPrecision(3)} × ${escapeHtml(f.x)}`,
    Number.isNaN(f.r2) ? (f.xMax > f.xMin ? 'n/a (constant)' : 'n/a (one size)') : f.r2.toFixed(3),
    String(f.n),
  ]);
  return table(['strategy', 'metric', 'fit', 'r²', 'points'], body, 3);
}

function linksOf(meta: Partial<RunMeta>): LinkRecord[] {
  if (meta.links?.length) return meta.links;
  return meta.link ? [{ requested_bps: meta.link.requested_bps, latency_ms: meta.link.latency_ms, measured_bps: meta.link.measured_bps, request_rtt_ms: meta.link.request_rtt_ms }] : [];
}

function provenanceHtml(meta: Partial<RunMeta>, statuses: Record<string, number>): string {
  const kv: [string, string][] = [
    ['run', meta.run_id ?? '?'],
    ['migbench', `${meta.migbench_version ?? '?'} (git ${meta.git_revision?.slice(0, 12) ?? '?'}${meta.git_dirty ? ', uncommitted changes' : ''})`],
    ['started / finished', `${meta.started_at ?? '?'} / ${meta.finished_at ?? 'not finished'}`],
    ['host', meta.host ? `${meta.host.hostname}: ${meta.host.cpu}, ${meta.host.cpus} CPUs, ${formatBytes(meta.host.memory_bytes)}` : '?'],
    ['kernel', meta.host?.kernel ?? '?'],
    ['node', meta.node ?? '?'],
    ['clone backend', meta.clone_backend ?? '–'],
    ['repetitions', Object.entries(statuses).map(([s, n]) => `${n} ${s}`).join(', ')],
    ...(meta.sweep ? [['sweep', `${meta.sweep.points.length} points over ${meta.sweep.options.join(', ')}`] as [string, string]] : []),
    ...Object.entries(meta.tools ?? {}).map(([t, v]) => [t, v] as [string, string]),
  ];
  const links = linksOf(meta).map((l) => [
    escapeHtml(formatBitRate(l.requested_bps)),
    escapeHtml(formatBitRate(l.measured_bps)),
    fmt((100 * l.measured_bps) / l.requested_bps, 1) + ' %',
    fmt(l.latency_ms, 1),
    fmt(l.request_rtt_ms, 3),
  ]);
  return (
    table(['', ''], kv.map(([k, v]) => [escapeHtml(k), escapeHtml(v)]), 9) +
    '<h3>Link: asked vs measured</h3>' +
    table(['asked', 'measured', 'measured / asked', 'added latency ms', 'request round trip ms'], links, 0)
  );
}

const STYLE = `body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:14px}th,td{border-bottom:1px solid #ddd;padding:3px 10px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f4f4f4}.bad{color:#b00}figure{margin:1em 0 2em}svg{max-width:100%;height:auto}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ccc}`;

/** The report page as one HTML string. */
export function renderHtml(r: HtmlReport): string {
  const plots = r.plots.map((p) => `<figure><figcaption><h2>${escapeHtml(p.title)}</h2></figcaption>\n${p.svg}\n</figure>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(r.title)}</title>
<style>${STYLE}</style></head><body>
<h1>${escapeHtml(r.title)}</h1>
<h2>Orderings: measured against theory</h2>
${orderingHtml(r.ordering)}
${plots}
<h2>Fits (interruption against volume size)</h2>
${fitsHtml(r.fits)}
<h2>Provenance</h2>
${provenanceHtml(r.meta, r.statuses)}
</body></html>
`;
}
