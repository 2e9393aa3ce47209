import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/measure/prng.js';
import { feistelPermutation } from '../../../src/workload/pattern/permutation.js';
import { blockSampler } from '../../../src/workload/pattern/sampler.js';
import { parsePattern } from '../../../src/workload/pattern/spec.js';
import { zipfRanks } from '../../../src/workload/pattern/zipf.js';

// Every check draws from fixed seeds: the counts are the same on every run, so a bound
// either always holds or never does (no flakes); the bounds are a few standard errors wide.
const seeds = { draw: 0x0a01, layout: 0x1a70 };

function counts(next: () => number, n: number, draws: number): Uint32Array {
  const c = new Uint32Array(n);
  for (let i = 0; i < draws; i++) c[next()]!++;
  return c;
}

/** Blocks ordered by how often they were drawn, most first. */
const hottest = (c: Uint32Array): number[] => [...c.keys()].sort((a, b) => c[b]! - c[a]! || a - b);

describe('uniform', () => {
  it('makes exactly the choices the writer made before patterns existed', () => {
    const next = blockSampler(parsePattern('uniform'), 65536, seeds);
    const old = mulberry32(seeds.draw);
    for (let i = 0; i < 10_000; i++) expect(next()).toBe(Math.floor(old() * 65536));
  });
});

describe('feistelPermutation', () => {
  it.each([1, 2, 3, 1000, 4097, 65536])('is a bijection of [0, %i)', (n) => {
    const perm = feistelPermutation(n, 7);
    const seen = new Uint8Array(n);
    let outside = 0;
    for (let x = 0; x < n; x++) {
      const y = perm(x);
      if (y >= 0 && y < n && Number.isInteger(y)) seen[y]!++;
      else outside++;
    }
    expect(outside).toBe(0);
    expect(seen.every((v) => v === 1)).toBe(true);
  });

  it('scatters: few fixed points, and another seed is another permutation', () => {
    const n = 100_000;
    const a = feistelPermutation(n, 1);
    const b = feistelPermutation(n, 2);
    let fixed = 0;
    let same = 0;
    for (let x = 0; x < n; x++) {
      if (a(x) === x) fixed++;
      if (a(x) === b(x)) same++;
    }
    expect(fixed).toBeLessThan(20);
    expect(same).toBeLessThan(20);
  });

  it('handles 2^32 blocks without per-block memory', () => {
    const perm = feistelPermutation(2 ** 32 - 1, 3);
    const y = perm(2 ** 32 - 2);
    expect(y).toBeGreaterThanOrEqual(0);
    expect(y).toBeLessThan(2 ** 32 - 1);
  });
});

describe('zipfRanks', () => {
  it.each([0.5, 0.99, 1, 1.2, 2])('draws rank k with probability ∝ (k+1)^-%f', (s) => {
    const n = 1000;
    const draws = 400_000;
    const c = counts(zipfRanks(n, s, mulberry32(42)), n, draws);
    let norm = 0;
    for (let k = 1; k <= n; k++) norm += k ** -s;
    let tv = 0;
    for (let k = 0; k < n; k++) tv += Math.abs(c[k]! / draws - (k + 1) ** -s / norm);
    // Total variation of 400k draws over 1000 ranks: ~0.02 for a correct sampler; a wrong
    // exponent or an off-by-one rank gives 0.1 and more.
    expect(tv / 2).toBeLessThan(0.03);
    for (let k = 0; k < 3; k++) {
      const p = (k + 1) ** -s / norm;
      expect(Math.abs(c[k]! / draws - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / draws));
    }
  });

  it('sets up in O(1) for millions of blocks and stays in range', () => {
    const n = 2 ** 28;
    const next = zipfRanks(n, 0.99, mulberry32(5));
    for (let i = 0; i < 10_000; i++) {
      const k = next();
      expect(k >= 0 && k < n && Number.isInteger(k)).toBe(true);
    }
  });
});

describe('zipf:S over blocks', () => {
  it('the hottest blocks are scattered over the volume, not clustered at offset 0', () => {
    const n = 65536;
    const c = counts(blockSampler(parsePattern('zipf:1.1'), n, seeds), n, 200_000);
    const top = hottest(c).slice(0, 64);
    // Without the permutation the 64 hottest blocks are blocks 0…63: one 1/16 region.
    const regions = new Set(top.map((b) => Math.floor(b / (n / 16))));
    expect(regions.size).toBeGreaterThanOrEqual(12);
    expect(top.filter((b) => b < 64).length).toBeLessThan(4);
    // The hottest block is the permutation's image of rank 0, shared with the reads' sampler.
    expect(top[0]).toBe(feistelPermutation(n, seeds.layout)(0));
  });
});

describe('hotset:F/P', () => {
  const n = 10_000;
  const draws = 100_000;
  const c = counts(blockSampler(parsePattern('hotset:0.05/0.95'), n, seeds), n, draws);
  const perm = feistelPermutation(n, seeds.layout);
  const hot = new Set(Array.from({ length: 500 }, (_, r) => perm(r)));

  it('fraction F of the blocks takes fraction P of the accesses', () => {
    let inHot = 0;
    for (const b of hot) inHot += c[b]!;
    expect(Math.abs(inHot / draws - 0.95)).toBeLessThan(0.005);
    // Every hot block is written, and the cold ones about evenly.
    expect([...hot].every((b) => c[b]! > 100)).toBe(true);
  });

  it('the hot blocks are scattered: the first 5 % of the volume gets no more than its cold share', () => {
    let low = 0;
    for (let b = 0; b < 500; b++) low += c[b]!;
    // Clustered hot blocks would put 95 % of the draws here; scattered, ~5 %.
    expect(low / draws).toBeLessThan(0.15);
    expect(new Set([...hot].map((b) => Math.floor(b / (n / 16)))).size).toBe(16);
  });

  it('takes every block when F is 1', () => {
    const all = counts(blockSampler(parsePattern('hotset:1/0.5'), 100, seeds), 100, 10_000);
    expect(all.every((v) => v > 50)).toBe(true);
  });
});

describe('sequential', () => {
  it('is a log that wraps over the volume', () => {
    const next = blockSampler(parsePattern('sequential'), 5, seeds);
    expect(Array.from({ length: 12 }, next)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1]);
  });

  it('with a fraction, over one contiguous region placed by the layout seed', () => {
    const n = 1000;
    const a = Array.from({ length: 250 }, blockSampler(parsePattern('sequential:0.1'), n, seeds));
    const base = a[0]!;
    expect(a).toEqual(Array.from({ length: 250 }, (_, i) => base + (i % 100)));
    expect(base + 100).toBeLessThanOrEqual(n);
    const other = blockSampler(parsePattern('sequential:0.1'), n, { draw: 99, layout: seeds.layout })();
    expect(other).toBe(base);
  });
});

describe('mixes', () => {
  it('each part takes its percent of the accesses', () => {
    const n = 100_000;
    const draws = 100_000;
    const next = blockSampler(parsePattern('80%uniform+20%sequential:0.001'), n, seeds);
    const region = blockSampler(parsePattern('sequential:0.001'), n, seeds)();
    let inLog = 0;
    for (let i = 0; i < draws; i++) {
      const b = next();
      if (b >= region && b < region + 100) inLog++;
    }
    // 20 % from the log plus the uniform part's 0.1 % share of the region.
    expect(Math.abs(inLog / draws - (0.2 + 0.8 * 0.001))).toBeLessThan(0.006);
  });

  it('zipf and hotset in one mix share their hot blocks', () => {
    const n = 10_000;
    const c = counts(blockSampler(parsePattern('50%zipf:1.5+50%hotset:0.001/1'), n, seeds), n, 50_000);
    const perm = feistelPermutation(n, seeds.layout);
    expect(hottest(c)[0]).toBe(perm(0));
  });
});
