/**
 * `migbench report`: reads a results directory and writes its plots (SVG + PNG) and one
 * self-contained HTML page next to runs.csv.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { sizeFits } from '../analysis/fit.js';
import { renderHtml } from './html.js';
import { orderingTable, type Prediction } from '../analysis/ordering-table.js';
import { hydrationTimelineSpec, interruptionByStrategySpec, interruptionVsSizeSpec, lostBytesSpec } from './plot-specs.js';
import type { Results } from '../results/read-results.js';
import { renderPng, renderSvg } from './render.js';

/** The plots of a report: file stem, heading, spec. */
export function reportPlots(results: Results): { name: string; title: string; spec: TopLevelSpec }[] {
  const fits = sizeFits(results.runs);
  return [
    { name: 'interruption-by-strategy', title: 'Interruption by strategy', spec: interruptionByStrategySpec(results.runs) },
    { name: 'interruption-vs-size', title: 'Interruption against volume size', spec: interruptionVsSizeSpec(results.runs, fits) },
    { name: 'hydration-timeline', title: 'Hydration timeline', spec: hydrationTimelineSpec(results.timeline) },
    { name: 'lost-bytes', title: 'Lost bytes by strategy', spec: lostBytesSpec(results.runs) },
  ];
}

/** Writes `<name>.svg`, `<name>.png` per plot and `report.html` into `outDir`; returns the paths. */
export async function writeReport(results: Results, outDir: string, predictionOf: (s: string) => Prediction | undefined): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const plots: { title: string; svg: string }[] = [];
  for (const p of reportPlots(results)) {
    const svg = await renderSvg(p.spec);
    writeFileSync(join(outDir, `${p.name}.svg`), svg);
    writeFileSync(join(outDir, `${p.name}.png`), renderPng(svg));
    written.push(join(outDir, `${p.name}.svg`), join(outDir, `${p.name}.png`));
    plots.push({ title: p.title, svg });
  }
  const statuses: Record<string, number> = {};
  for (const r of results.runs) statuses[r.status ?? '?'] = (statuses[r.status ?? '?'] ?? 0) + 1;
  const html = renderHtml({
    title: `migbench report — ${results.meta.run_id ?? results.dir}`,
    meta: results.meta,
    plots,
    ordering: orderingTable(results.runs, predictionOf),
    fits: sizeFits(results.runs),
    statuses,
  });
  writeFileSync(join(outDir, 'report.html'), html);
  written.push(join(outDir, 'report.html'));
  return written;
}
