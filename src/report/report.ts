/**
 * `migbench report`: reads a results directory and writes its plots (SVG + PNG), one
 * self-contained HTML page and report.json next to runs.csv.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { sizeFits } from '../analysis/fit.js';
import { groupRows } from '../analysis/groups.js';
import { verdicts } from '../analysis/verdict.js';
import type { Results } from '../results/read-results.js';
import type { CompareSummary } from './compare-summary.js';
import { renderHtml, type HtmlReport } from './html.js';
import { interruptionByStrategySpec, interruptionVsSizeSpec, lostBytesSpec } from './plot-specs.js';
import { renderPng, renderSvg } from './render.js';
import { reportJson } from './report-json.js';
import { scenarioFacts, sizeVaried } from './scenario-facts.js';
import { latencyByPhaseSpec, tradeoffSpec } from './summary-specs.js';
import { strategyTimelineSpec } from './timeline-specs.js';
import { hasWorkingSet, workingSetSpec } from './working-set-spec.js';

/** A plot of the report: file stem, heading, how to read it, spec. */
export interface ReportPlot {
  name: string;
  title: string;
  caption?: string;
  spec: TopLevelSpec;
}

/** The run-level plots (only those whose axis varied) and the ones left out, with why. */
export function reportPlots(results: Results): { plots: ReportPlot[]; skipped: string[] } {
  const runs = results.runs;
  const plots: ReportPlot[] = [
    { name: 'tradeoff', title: 'Trade-off', caption: 'Medians per strategy over successful repetitions.', spec: tradeoffSpec(runs) },
    { name: 'interruption-by-strategy', title: 'Interruption by strategy', caption: 'Time with no acknowledged write across the cut-over; 0 for strategies that ran split-brain instead.', spec: interruptionByStrategySpec(runs) },
    { name: 'lost-bytes', title: 'Acknowledged writes lost', spec: lostBytesSpec(runs) },
    { name: 'read-latency-by-phase', title: 'Read latency by phase', caption: 'Each repetition as a row of dots: p50, p99, p99.9 of the timed reads of the phase (no p99.9 is recorded after hydration).', spec: latencyByPhaseSpec(runs) },
  ];
  const skipped: string[] = [];
  if (sizeVaried(runs)) {
    plots.push({ name: 'interruption-vs-size', title: 'Interruption against volume size', caption: 'Lines: least-squares fit per strategy.', spec: interruptionVsSizeSpec(runs, sizeFits(runs)) });
  } else {
    skipped.push('Interruption against volume size: every repetition ran the same size; sweep --size to see how interruption scales.');
  }
  if (hasWorkingSet(results.timeline)) {
    plots.push({ name: 'working-set', title: 'Writable working set', caption: 'What pre-copy chases: each round re-copies the blocks written during the one before (--write-pattern, docs/workloads.md).', spec: workingSetSpec(results.timeline, runs) });
  }
  return { plots, skipped };
}

/** One timeline spec per strategy and sweep point that has timeline rows. */
export function timelinePlots(results: Results): ReportPlot[] {
  const have = new Set(results.timeline.map((r) => `${r.sweep_point ?? ''}\u0000${r.strategy}`));
  return groupRows(results.runs)
    .filter((g) => have.has(`${g.point}\u0000${g.strategy}`))
    .map((g) => ({
      name: `timeline-${g.strategy}${g.point ? `-${g.point.replace(/[^A-Za-z0-9.]+/g, '_')}` : ''}`,
      title: g.point ? `${g.strategy} @ ${g.point}` : g.strategy,
      spec: strategyTimelineSpec(results.timeline, results.runs, g.strategy, g.point),
    }));
}

/**
 * Writes `<name>.svg`, `<name>.png` per plot, `report.json` and `report.html` into
 * `outDir`; returns the paths.
 */
export async function writeReport(results: Results, outDir: string, compare?: CompareSummary): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const render = async (p: ReportPlot, png: boolean): Promise<string> => {
    const svg = await renderSvg(p.spec);
    writeFileSync(join(outDir, `${p.name}.svg`), svg);
    written.push(join(outDir, `${p.name}.svg`));
    if (png) {
      writeFileSync(join(outDir, `${p.name}.png`), renderPng(svg));
      written.push(join(outDir, `${p.name}.png`));
    }
    return svg;
  };
  const { plots, skipped } = reportPlots(results);
  const renderedPlots = [];
  for (const p of plots) renderedPlots.push({ title: p.title, caption: p.caption, svg: await render(p, true) });
  const timelines = [];
  for (const p of timelinePlots(results)) timelines.push({ title: p.title, svg: await render(p, false) });

  const vs = verdicts(results.runs);
  const facts = scenarioFacts(results.meta, results.runs);
  const json = reportJson(vs, results.runs, results.meta, facts, compare);
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(json, null, 2)}\n`);
  written.push(join(outDir, 'report.json'));

  const link = (f: string): string => relative(outDir, join(results.dir, f)) || f;
  const files = [
    { f: 'runs.csv', what: 'one row per strategy × repetition (columns: docs/results.md)' },
    { f: 'timeline.csv', what: 'one row per window of every repetition' },
    { f: 'meta.json', what: 'provenance: scenario, host, tools, link asked vs measured' },
  ]
    .filter((x) => existsSync(join(results.dir, x.f)))
    .map((x) => ({ href: link(x.f), what: x.what }));
  files.push({ href: 'report.json', what: 'these verdicts and key figures for machines' });
  const fits = sizeVaried(results.runs) ? sizeFits(results.runs) : { none: 'No fit: every repetition ran the same volume size, so nothing constrains a slope. Run a size sweep (e.g. --size 64MiB,256MiB,1GiB) to fit interruption against size.' };
  const page: HtmlReport = {
    title: `migbench report — ${results.meta.run_id ?? results.dir}`,
    report: json,
    meta: results.meta,
    plots: renderedPlots,
    timelines,
    fits,
    skipped,
    compare,
    files,
  };
  writeFileSync(join(outDir, 'report.html'), renderHtml(page));
  written.push(join(outDir, 'report.html'));
  return written;
}
