/**
 * The self-contained HTML report: what was run at the top, the verdicts judged per
 * repetition, then the plots inlined as SVG and links to the data. No script, no
 * stylesheet or font from the network. Pure.
 */
import type { Fit } from '../analysis/fit.js';
import { modeWords, type FailureMode } from '../analysis/verdict.js';
import type { RunMeta } from '../results/meta.js';
import type { CompareSummary } from './compare-summary.js';
import type { ReportJson, ReportJsonStrategy, Spread } from './report-json.js';

export interface HtmlReport {
  title: string;
  report: ReportJson;
  meta: Partial<RunMeta>;
  /** Plots in page order: heading, SVG text and a caption saying how to read it. */
  plots: { title: string; svg: string; caption?: string }[];
  /** The per-strategy timelines (small multiples). */
  timelines: { title: string; svg: string }[];
  /** Fits of interruption against size, or why there are none. */
  fits: Fit[] | { none: string };
  /** Plots not drawn and why (e.g. no size sweep). */
  skipped: string[];
  compare?: CompareSummary;
  /** Files of the results directory to link to, relative to the page. */
  files: { href: string; what: string }[];
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const MiB = 2 ** 20;
const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? Number(x.toFixed(digits)).toLocaleString('en-US') : '–');

/** "median (min–max)" of a figure, scaled to a unit; '–' without data. */
function spread(s: Spread | null | undefined, scale = 1, digits = 0): string {
  if (!s) return '–';
  const m = fmt(s.median / scale, digits);
  return s.n > 1 && s.min !== s.max ? `${m} <small>(${fmt(s.min / scale, digits)}–${fmt(s.max / scale, digits)})</small>` : m;
}

function table(head: string[], body: string[][], numeric: (i: number) => boolean = (i) => i > 0, cls = ''): string {
  const th = `<thead><tr>${head.map((h, i) => `<th${numeric(i) ? ' class="n"' : ''}>${h}</th>`).join('')}</tr></thead>`;
  const tr = body.map((r) => `<tr>${r.map((c, i) => `<td${numeric(i) ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table${cls ? ` class="${cls}"` : ''}>${th}<tbody>\n${tr}\n</tbody></table>`;
}

function marksHtml(s: ReportJsonStrategy): string {
  if (s.marks.length === 0) return 'none';
  return '<div class="modes">' + s.marks
    .map((m: FailureMode) => {
      const words = escapeHtml(modeWords(m));
      return s.unexpected.includes(m) ? `<b class="bad">${words}</b>` : words;
    })
    .join(', ') + '</div>';
}

function judgementHtml(s: ReportJsonStrategy): string {
  const k = `${s.as_predicted}/${s.reps}`;
  if (s.judgement === 'as predicted') return `<span class="ok">✔ ${k}</span>`;
  if (s.judgement === 'milder than predicted') return `<span class="warn">${k} (milder)</span>`;
  return `<b class="bad">✘ ${k}</b>`;
}

function failingHtml(s: ReportJsonStrategy): string {
  if (s.failing.length === 0) return '';
  return s.failing
    .map((r) => `rep ${escapeHtml(r.rep)}${r.volume ? ` vol ${escapeHtml(r.volume)}` : ''}: ${escapeHtml(r.reasons.join('; '))}`)
    .map((t) => `<div class="why">${t}</div>`)
    .join('');
}

function verdictTable(r: ReportJson): string {
  const showPoint = r.strategies.some((s) => s.point);
  const head = ['strategy and its prediction', ...(showPoint ? ['sweep point'] : []), 'as predicted', 'failure modes seen', 'interruption ms', 'split brain ms', 'lost MiB', 'exposure s', 'repetitions not as predicted'];
  const off = showPoint ? 1 : 0;
  const body = r.strategies.map((s) => [
    `<b class="name">${escapeHtml(s.strategy)}</b><div class="pred">${escapeHtml(s.predicted || '(no prediction for this strategy: held to no loss)')}</div>`,
    ...(showPoint ? [escapeHtml(s.point)] : []),
    judgementHtml(s),
    marksHtml(s),
    spread(s.figures.interruption_ms),
    spread(s.figures.split_brain_ms),
    spread(s.figures.lost_bytes, MiB, 1),
    spread(s.figures.hydration_ms, 1000, 1),
    failingHtml(s),
  ]);
  return table(head, body, (i) => i >= 3 + off && i <= 6 + off, 'verdicts');
}

function summaryLine(r: ReportJson): string {
  const n = r.strategies.length;
  const flagged = r.flagged.length;
  const unsafe = r.strategies.filter((s) => s.marks.includes('lost') || s.marks.includes('split_brain')).map((s) => s.strategy);
  return `<p class="lead">${flagged ? `<b class="bad">${flagged} of ${n} not as predicted: ${escapeHtml(r.flagged.join(', '))}.</b>` : `<span class="ok">All ${n} strategies behaved as predicted.</span>`}
${unsafe.length ? ` Lost acknowledged writes or ran split-brain: ${escapeHtml([...new Set(unsafe)].join(', '))}.` : ''}</p>`;
}

function compareHtml(c: CompareSummary): string {
  const counts = Object.entries(c.counts).map(([k, v]) => `${v} ${escapeHtml(k)}`).join(', ');
  const list = (title: string, xs: string[], cls = ''): string => (xs.length ? `<p>${title}</p><ul>${xs.map((x) => `<li${cls ? ` class="${cls}"` : ''}>${escapeHtml(x)}</li>`).join('')}</ul>` : '');
  return `<h2 id="compare">Against the baseline</h2>
<p class="lead">${c.verdict === 'regression' ? `<b class="bad">✘ ${c.regressions.length} regression${c.regressions.length === 1 ? '' : 's'}</b>` : '<span class="ok">✔ no regression</span>'} <small>(${escapeHtml(c.file)}; metrics: ${counts || 'none'})</small></p>
${list('Environment differences:', c.environment)}${list('Regressions:', c.regressions, 'bad')}${list('Only in the baseline:', c.onlyInBase, 'bad')}${list('Only in this run:', c.onlyInCandidate)}`;
}

function fitsHtml(fits: HtmlReport['fits']): string {
  if (!Array.isArray(fits)) return `<p>${escapeHtml(fits.none)}</p>`;
  const withSeries = fits.some((f) => f.series);
  const body = fits.map((f) => [
    escapeHtml(f.strategy) + (withSeries ? ` @ ${escapeHtml(f.series ?? '')}` : ''),
    escapeHtml(f.metric),
    f.x === 'size_bytes' ? `${fmt(f.intercept, 1)} ms + ${(f.slope * MiB).toPrecision(3)} ms/MiB × size` : `${fmt(f.intercept, 1)} + ${f.slope.toPrecision(3)} × ${escapeHtml(f.x)}`,
    Number.isNaN(f.r2) ? 'n/a (constant)' : f.r2.toFixed(3),
    String(f.n),
  ]);
  return table(['strategy', 'metric', 'fit', 'r²', 'points'], body, (i) => i >= 3);
}

function toolsHtml(meta: Partial<RunMeta>): string {
  const rows = [['node', meta.node ?? '?'], ...Object.entries(meta.tools ?? {})];
  return `<details><summary>Tool versions</summary>${table(['tool', 'version'], rows.map(([k, v]) => [escapeHtml(k!), escapeHtml(v!)]), () => false)}</details>`;
}

const STYLE = `body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:1.5em auto;max-width:1250px;color:#222;padding:0 1em;font-size:14px}
table{border-collapse:collapse;margin:0.4em 0 1.2em}th,td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th{background:#f4f4f4;font-weight:600}
.bad{color:#b00}.ok{color:#176317}.warn{color:#9a6700}.lead{font-size:15px}small{color:#555}
table.verdicts td{font-size:13px}table.verdicts td:first-child{max-width:340px}.name{white-space:nowrap}.pred{color:#555;font-size:12px}.modes{min-width:130px}.why{color:#b00;font-size:12px;max-width:380px;overflow-wrap:anywhere}
dl.facts{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:2px 14px;margin:0.5em 0 1em}dl.facts dt{color:#555}dl.facts dd{margin:0}
figure{margin:0.6em 0 1.6em}figcaption{color:#444;font-size:13px;max-width:900px}svg{max-width:100%;height:auto}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(600px,1fr));gap:8px 18px}
h1{font-size:1.5em;margin-bottom:0.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}`;

/** The report page as one HTML string. */
export function renderHtml(r: HtmlReport): string {
  const facts = r.report.scenario.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd>`).join('');
  const plots = r.plots
    .map((p) => `<figure><h2>${escapeHtml(p.title)}</h2>${p.caption ? `<figcaption>${escapeHtml(p.caption)}</figcaption>` : ''}\n${p.svg}\n</figure>`)
    .join('\n');
  const timelines = r.timelines.map((t) => `<figure>${t.svg}</figure>`).join('\n');
  const skipped = r.skipped.length ? `<h2>Not drawn</h2><ul>${r.skipped.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>` : '';
  const files = r.files.map((f) => `<li><a href="${escapeHtml(f.href)}">${escapeHtml(f.href)}</a> — ${escapeHtml(f.what)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(r.title)}</title>
<style>${STYLE}</style></head><body>
<h1>${escapeHtml(r.title)}</h1>
<dl class="facts">${facts}</dl>
${summaryLine(r.report)}
${r.compare ? compareHtml(r.compare) : ''}
<h2 id="verdicts">Verdicts: each repetition against every failure mode and the prediction</h2>
<p><small>“as predicted” counts repetitions showing exactly the failure modes theory allows (failed, lost, corrupt, diverged bytes, stale reads, split brain; a failed repetition never counts). Figures: median (min–max) over successful repetitions. Exposure: seconds the destination depends on its source after it serves (first write on B until hydrated).</small></p>
${verdictTable(r.report)}
${plots}
<h2 id="timelines">Timelines per strategy (all repetitions)</h2>
<p><small>Progress is drawn from real samples only: a clone's or mirror's hydrated fraction as reported, a copy's as bytes sent A→B over the volume size (nbdcopy reports its progress per 128 MiB work unit handed out, which would show a plateau that did not happen). Read latency p50 (solid) and p99 (faint) per window; acknowledged writes per second of both hosts; A→B link rate. Marks: kill, boot and hydration done (runs.csv kill_at_ms, boot_at_ms, hydration_done_at_ms; for older runs hydration done is the first sample at 1) and source released (migration_ms).</small></p>
<div class="grid">${timelines}</div>
<h2 id="fits">Fits (interruption against volume size)</h2>
${fitsHtml(r.fits)}
${skipped}
<h2 id="data">Data</h2>
<ul>${files}</ul>
${toolsHtml(r.meta)}
</body></html>
`;
}
