import { describe, expect, it } from 'vitest';
import { fitPoints, type Fit } from '../../src/analysis/fit.js';
import type { OrderingRow } from '../../src/analysis/ordering-table.js';
import type { RunMeta } from '../../src/results/meta.js';
import { escapeHtml, renderHtml, type HtmlReport } from '../../src/report/html.js';

const MiB = 2 ** 20;
const ordering: OrderingRow[] = [
  { strategy: 'kill-copy-boot', point: '', ok: 3, reps: 3, lost_bytes: 0, split_brain_ms: 0, interruption_ms: 912.4, measured: 'no loss', predicted: 'no loss', asPredicted: true },
  { strategy: 'copy-boot-kill', point: '', ok: 2, reps: 3, lost_bytes: 8192, split_brain_ms: 501, interruption_ms: 0, measured: 'loss, split brain', predicted: '', asPredicted: false },
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

function report(over: Partial<HtmlReport> = {}): HtmlReport {
  return {
    title: 'migbench report — r-2024',
    meta,
    plots: [
      { title: 'Interruption by strategy', svg: '<svg id="plot-a"><text>a</text></svg>' },
      { title: 'Lost bytes', svg: '<svg id="plot-b"></svg>' },
    ],
    ordering,
    fits: [fit],
    statuses: { ok: 5, failed: 1 },
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

  it('inlines every plot it is given, in order, under its title', () => {
    const html = renderHtml(report());
    const a = html.indexOf('<svg id="plot-a"><text>a</text></svg>');
    const b = html.indexOf('<svg id="plot-b"></svg>');
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect(html).toContain('<h2>Interruption by strategy</h2>');
  });

  it('holds the ordering table, the fits and the provenance', () => {
    const html = renderHtml(report());
    expect(html).toContain('<td>kill-copy-boot</td>');
    expect(html).toContain('<td class="n">3/3</td>');
    expect(html).toContain('912.4');
    expect(html).toContain('<b class="bad">no</b>');
    expect(html).toContain('(not in the registry)');
    expect(html).toContain('12.5 × MiB');
    expect(html).toContain('0.1.0 (git 0123456789ab, uncommitted changes)');
    expect(html).not.toContain('0123456789abcdef0123');
    expect(html).toContain('5 ok, 1 failed');
    expect(html).toContain('nbdkit 1.32');
    expect(html).toContain('4.25');
  });

  it('escapes what comes from the results: titles, strategy names, meta', () => {
    const html = renderHtml(
      report({
        title: 'run <b>&</b>',
        ordering: [{ ...ordering[0]!, strategy: '<script>alert(1)</script>', measured: 'a "quoted" mode' }],
        meta: { ...meta, run_id: "it's <mine>", tools: { fio: 'fio-3.33 <dev>' } },
        plots: [{ title: 'T <i>x</i>', svg: '<svg></svg>' }],
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<title>run &lt;b&gt;&amp;&lt;/b&gt;</title>');
    expect(html).toContain('a &quot;quoted&quot; mode');
    expect(html).toContain('it&#39;s &lt;mine&gt;');
    expect(html).toContain('fio-3.33 &lt;dev&gt;');
    expect(html).toContain('<h2>T &lt;i&gt;x&lt;/i&gt;</h2>');
  });

  it('says so when there is no fit', () => {
    expect(renderHtml(report({ fits: [] }))).toContain('No fit: no successful repetition with a volume size.');
  });
});
