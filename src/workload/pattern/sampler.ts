/**
 * Block samplers: a parsed pattern, the volume's block count and two seeds make the
 * function an instance calls for each write's (or read's) block.
 */
import { mulberry32 } from '../../measure/prng.js';
import { feistelPermutation } from './permutation.js';
import type { Pattern, PatternPart } from './spec.js';
import { zipfRanks } from './zipf.js';

/** What fixes a sampler's choices. */
export interface SamplerSeeds {
  /** The draws: distinct per instance (and per writer / reader). */
  draw: number;
  /**
   * Where the hot blocks and the log region lie: a property of the volume, so the same for
   * A's and B's instances and for writes and reads of one repetition.
   */
  layout: number;
}

function partSampler(part: PatternPart, n: number, rng: () => number, scatter: () => (x: number) => number, layoutRng: () => number): () => number {
  switch (part.kind) {
    case 'uniform':
      // Exactly the draw the writer made before patterns existed: the same blocks for a seed.
      return () => Math.floor(rng() * n);
    case 'zipf': {
      const rank = zipfRanks(n, part.s, rng);
      const perm = scatter();
      return () => perm(rank());
    }
    case 'hotset': {
      const hot = Math.min(n, Math.max(1, Math.round(part.fraction * n)));
      const perm = scatter();
      const cold = n - hot;
      return () => {
        const inHot = cold === 0 || rng() < part.share;
        return perm(inHot ? Math.floor(rng() * hot) : hot + Math.floor(rng() * cold));
      };
    }
    case 'sequential': {
      const len = part.fraction === undefined ? n : Math.min(n, Math.max(1, Math.round(part.fraction * n)));
      const base = Math.floor(layoutRng() * (n - len + 1));
      let next = 0;
      return () => {
        const b = base + next;
        next = next + 1 === len ? 0 : next + 1;
        return b;
      };
    }
  }
}

/**
 * Returns the block sampler of `pattern` over `blocks` blocks. A single part draws straight
 * from its sampler (so `uniform` makes the same choices as the writer always did); a mix
 * draws the part first. Every part shares one scattering permutation: zipf's hottest ranks
 * and a hot set are the same blocks, as an application's hot data is.
 */
export function blockSampler(pattern: Pattern, blocks: number, seeds: SamplerSeeds): () => number {
  const rng = mulberry32(seeds.draw);
  const layoutRng = mulberry32(seeds.layout ^ 0x2545f491);
  let perm: ((x: number) => number) | undefined;
  const scatter = (): ((x: number) => number) => (perm ??= feistelPermutation(blocks, seeds.layout));
  const samplers = pattern.parts.map((p) => partSampler(p.part, blocks, rng, scatter, layoutRng));
  if (samplers.length === 1) return samplers[0]!;
  const cumulative: number[] = [];
  let sum = 0;
  for (const p of pattern.parts) cumulative.push((sum += p.percent));
  return () => {
    const u = rng() * sum;
    let i = 0;
    while (i < cumulative.length - 1 && u >= cumulative[i]!) i++;
    return samplers[i]!();
  };
}
