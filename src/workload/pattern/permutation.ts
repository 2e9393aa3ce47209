/**
 * A seeded permutation of [0, n) that costs no memory per block: a 4-round Feistel network
 * over the smallest even-width power of two ≥ n, cycle-walked back into [0, n). It scatters
 * a pattern's hot ranks over the volume (rank 0 would otherwise be block 0, and a hot set
 * the first blocks: one clustered extent, which a dirty tracker sees as a single region).
 */
import { mulberry32 } from '../../measure/prng.js';

/** murmur3's 32-bit finaliser: the round function's mixing. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Returns a bijection of [0, n) → [0, n) fixed by `seed`; O(1) per call (fewer than 4 walks expected). */
export function feistelPermutation(n: number, seed: number): (x: number) => number {
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`permutation size ${n} must be a whole number in [1, 2^32]`);
  let bits = 2;
  while (2 ** bits < n) bits += 2;
  const half = bits / 2;
  const mask = 2 ** half - 1;
  const rnd = mulberry32(seed);
  const keys = Array.from({ length: 4 }, () => Math.floor(rnd() * 2 ** 32));
  const encrypt = (x: number): number => {
    let l = Math.floor(x / 2 ** half);
    let r = x & mask;
    for (const k of keys) {
      const next = (l ^ (mix32(r ^ k) & mask)) >>> 0;
      l = r;
      r = next;
    }
    return l * 2 ** half + r;
  };
  return (x: number): number => {
    let y = encrypt(x);
    // Cycle walking: a permutation of the larger domain, restricted to [0, n), is one of [0, n).
    while (y >= n) y = encrypt(y);
    return y;
  };
}
