import { existsSync } from 'node:fs';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { fitByStrategy, sizeFits } from '../../src/analysis/fit.js';
import { interruptionByStrategySpec, interruptionVsSizeSpec, lostBytesSpec, PLOT_FONT } from '../../src/report/plot-specs.js';
import { FONT_FILES, renderPng, renderSvg } from '../../src/report/render.js';
import { reps, row } from '../support/result-rows.js';

const MiB = 2 ** 20;
const rows = [
  ...[32, 64].flatMap((size) => [
    ...reps('kill-copy-boot', 'interruption_ms', [size * 10, size * 11, size * 9], { size_bytes: size * MiB, sweep_point: `size=${size}MiB` }),
    ...reps('teleport', 'interruption_ms', [100, 120, 110], { size_bytes: size * MiB, sweep_point: `size=${size}MiB`, lost_bytes: 8192 }),
  ]),
  row({ strategy: 'teleport', rep: 4, sweep_point: 'size=64MiB', status: 'failed', interruption_ms: '' }),
];
/** Inline data of a spec (top level or in vconcat panels). */
function data(spec: object): Record<string, unknown>[][] {
  const s = spec as { data?: { values: Record<string, unknown>[] }; vconcat?: { data: { values: Record<string, unknown>[] } }[] };
  return s.vconcat ? s.vconcat.map((p) => p.data.values) : [s.data!.values];
}

describe('plot specs', () => {
  it('interruption by strategy: every successful repetition, a median with its CI per strategy and point; a row per point', () => {
    const spec = interruptionByStrategySpec(rows);
    const [values] = data(spec);
    expect(values!.filter((d) => d.kind === 'rep')).toHaveLength(12);
    const medians = values!.filter((d) => d.kind === 'median');
    expect(medians).toHaveLength(4);
    const kcb64 = medians.find((d) => d.strategy === 'kill-copy-boot' && d.point === 'size=64MiB')!;
    expect(kcb64.value).toBe(640);
    expect(kcb64.lower as number).toBeLessThanOrEqual(640);
    expect(kcb64.upper as number).toBeGreaterThanOrEqual(640);
    expect((spec as { facet?: { row: { sort: string[] } } }).facet?.row.sort).toEqual(['size=32MiB', 'size=64MiB']);
    expect(() => compile(spec)).not.toThrow();
  });

  it('without a sweep there is no facet', () => {
    const spec = interruptionByStrategySpec(reps('a', 'interruption_ms', [1, 2]));
    expect('facet' in spec).toBe(false);
  });

  it('interruption against size: dots in MiB and the fitted line between the measured sizes', () => {
    const fits = fitByStrategy(rows, 'interruption_ms', 'size_bytes');
    const [values] = data(interruptionVsSizeSpec(rows, fits));
    const line = values!.filter((d) => d.kind === 'fit' && d.strategy === 'kill-copy-boot');
    expect(line.map((d) => d.size_mib)).toEqual([32, 64]);
    expect(line[0]!.value as number).toBeCloseTo(320, 6);
    expect(line[1]!.value as number).toBeCloseTo(640, 6);
    expect(values!.filter((d) => d.kind === 'rep')).toHaveLength(12);
  });

  it('a sweep over size and link: one fitted line per strategy and link, one panel per link', () => {
    const both = [1e9, 4e8].flatMap((link) =>
      [32, 64].flatMap((size) => reps('kill-copy-boot', 'interruption_ms', [(size * 8e9) / link], { size_bytes: size * MiB, link_bps: link, sweep_point: `size=${size}MiB link=${link}` })),
    );
    const fits = sizeFits(both);
    expect(fits.map((f) => [f.series, f.slope * MiB])).toEqual([
      ['link=1000000000', 8],
      ['link=400000000', 20],
    ]);
    const spec = interruptionVsSizeSpec(both, fits) as unknown as { facet: { row: { sort: string[] } } };
    expect(spec.facet.row.sort).toEqual(['link=1000000000', 'link=400000000']);
    expect(() => compile(spec as never)).not.toThrow();
  });

  it('lost bytes: MiB per repetition and the median per strategy, with the unit in the axis title', () => {
    const spec = lostBytesSpec(rows);
    const [values] = data(spec);
    const m = values!.filter((d) => d.kind === 'median' && d.strategy === 'teleport');
    expect(m.map((d) => d.mib)).toEqual([8192 / MiB, 8192 / MiB]);
    expect(JSON.stringify(spec)).toContain('acknowledged writes lost (MiB)');
  });

  it('renders to SVG with text, and to a PNG with the font loaded from its file', async () => {
    expect(FONT_FILES.some((f) => existsSync(f))).toBe(true);
    const svg = await renderSvg(interruptionByStrategySpec(rows));
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('kill-copy-boot');
    expect(svg).toContain(PLOT_FONT);
    const png = renderPng(svg, 1);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // Text changes pixels: the same plot without any labels renders to a smaller, different image.
    const blank = renderPng(svg.replace(/<text[^>]*>[^<]*<\/text>/g, ''), 1);
    expect(Buffer.compare(png, blank)).not.toBe(0);
    expect(() => renderPng(svg, 1, ['/nonexistent/font.ttf'])).toThrow(/fonts-dejavu-core/);
  });
});
