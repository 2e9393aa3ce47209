import { describe, expect, it } from 'vitest';
import { fitPoints, type Fit } from '../../src/analysis/fit.js';
import { verdicts } from '../../src/analysis/verdict.js';
import type { RunMeta } from '../../src/results/meta.js';
import { escapeHtml, renderHtml, type HtmlReport } from '../../src/report/html.js';
import { reportJson } from '../../src/report/report-json.js';
import { scenarioFacts } from '../../src/report/scenario-facts.js';
import { row } from '../support/result-rows.js';

const MiB = 2 ** 20;
const runs = [
  row({ strategy: 'kill-copy-boot', rep: 1, interruption_ms: 912.4 }),
  row({ strategy: 'kill-copy-boot', rep: 2, interruption_ms: 1000, corrupt_bytes: 4096 }),
  row({ strategy: 'mirror', rep: 1, split_brain_ms: 502 }),
  row({ strategy: 'precopy', rep: 1, status: 'failed', error: 'QMP said <no>' }),
];
const fit = fitPoints([[16 * MiB, 300], [32 * MiB, 500], [64 * MiB, 900]], { strategy: 'kill-copy-boot', metric: 'interruption_ms', x: 'size_bytes' }) as Fit;
const meta: Partial<RunMeta> = {
  run_id: 'r-2024',
  migbench_version: '0.1.0',
  git_revision: '0123456789abcdef0123',
  git_dirty: true,
  node: 'v20.0.0',
  tools: { nbdkit: 'nbdkit 1.32' },
  links: [{ requested_bps: 1e9, measured_bps: 9e8, latency_ms: 2, request_rtt_ms: 4.25 }],
};

function report(over: Partial<HtmlReport> = {}, m: Partial<RunMeta> = meta): HtmlReport {
  return {
    title: 'migbench report — r-2024',
    report: reportJson(verdicts(runs), runs, m, scenarioFacts(m, runs)),
    meta: m,
    plots: [
      { title: 'Interruption by strategy', svg: '<svg id="plot-a"><text>a</text></svg>', caption: 'how to read' },
      { title: 'Lost bytes', svg: '<svg id="plot-b"></svg>' },
    ],
    timelines: [{ title: 'mirror', svg: '<svg id="tl-mirror"></svg>' }],
    fits: [fit],
    skipped: [],
    files: [{ href: 'runs.csv', what: 'rows' }],
    ...over,
  };
}

describe('escapeHtml', () => {
  it('escapes the five HTML metacharacters and nothing else', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a> ok`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt; ok');
  });
});

describe('renderHtml', () => {
  it('is one self-contained page: no script, no external stylesheet, font or image', () => {
    const html = renderHtml(report());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link\b|<img\b|@import|url\(|src=/i);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('starts with the scenario and provenance, before the verdicts and plots', () => {
    const html = renderHtml(report());
    const facts = html.indexOf('link asked → measured');
    expect(facts).toBeGreaterThan(0);
    expect(html).toContain('1 Gbit/s → 900 Mbit/s (90.0 %)');
    expect(html).toContain('0.1.0 / 0123456789ab (uncommitted changes)');
    expect(html.indexOf('id="verdicts"')).toBeGreaterThan(facts);
    expect(html.indexOf('<svg id="plot-a">')).toBeGreaterThan(html.indexOf('id="verdicts"'));
  });

  it('inlines every plot and timeline, in order, under its title and caption', () => {
    const html = renderHtml(report());
    const a = html.indexOf('<svg id="plot-a"><text>a</text></svg>');
    const b = html.indexOf('<svg id="plot-b"></svg>');
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect(html.indexOf('<svg id="tl-mirror">')).toBeGreaterThan(b);
    expect(html).toContain('<h2>Interruption by strategy</h2><figcaption>how to read</figcaption>');
  });

  it('shows k/N as predicted and the failing repetitions with their reasons and error text', () => {
    const html = renderHtml(report());
    expect(html).toContain('3 of 3 not as predicted: kill-copy-boot, mirror, precopy.');
    expect(html).toContain('✘ 1/2');
    expect(html).toContain('rep 2: 4096 corrupt bytes, predicted none');
    expect(html).toContain('rep 1: 502 ms of split brain, predicted none');
    expect(html).toContain('rep 1: repetition failed: QMP said &lt;no&gt;');
    expect(html).toContain('<b class="bad">split brain</b>');
  });

  it('gives the fits with units, or why there are none', () => {
    expect(renderHtml(report())).toContain('12.5 ms/MiB × size');
    expect(renderHtml(report({ fits: { none: 'No fit: one size.' } }))).toContain('<p>No fit: one size.</p>');
  });

  it('shows a comparison when given one', () => {
    const html = renderHtml(report({ compare: { file: 'c.json', verdict: 'no regression', regressions: [], counts: { unchanged: 4 }, onlyInBase: [], onlyInCandidate: [], environment: [] } }));
    expect(html).toContain('✔ no regression');
    expect(html).toContain('4 unchanged');
  });

  it('escapes what comes from the results: titles, strategy names, meta', () => {
    const m = { ...meta, run_id: "it's <mine>", tools: { fio: 'fio-3.33 <dev>' } };
    const html = renderHtml(report({ title: 'run <b>&</b>', plots: [{ title: 'T <i>x</i>', svg: '<svg></svg>' }] }, m));
    expect(html).toContain('<title>run &lt;b&gt;&amp;&lt;/b&gt;</title>');
    expect(html).toContain('it&#39;s &lt;mine&gt;');
    expect(html).toContain('fio-3.33 &lt;dev&gt;');
    expect(html).toContain('<h2>T &lt;i&gt;x&lt;/i&gt;</h2>');
    const evil = [row({ strategy: '<script>alert(1)</script>', rep: 1 })];
    const page = renderHtml(report({ report: reportJson(verdicts(evil), evil, m, scenarioFacts(m, evil)) }, m));
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
