/**
 * Zipf-distributed ranks in [0, n): P(rank k) ∝ (k + 1)^-s, by rejection-inversion
 * (W. Hörmann, G. Derflinger, "Rejection-inversion to generate variates from monotone
 * discrete distributions", ACM TOMACS 6(3), 1996) — O(1) expected per draw and no table,
 * so volumes of millions of blocks cost nothing to set up. The structure follows Apache
 * Commons RNG's RejectionInversionZipfSampler.
 */

/** log1p(x) / x, stable near 0. */
function helper1(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

/** expm1(x) / x, stable near 0. */
function helper2(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x));
}

/** Returns a sampler of ranks 0 (most frequent) … n − 1, drawing uniforms from `rng`. */
export function zipfRanks(n: number, s: number, rng: () => number): () => number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`zipf over ${n} elements`);
  if (!(s > 0)) throw new RangeError(`zipf exponent ${s} must be greater than 0`);
  if (n === 1) return () => 0;
  const h = (x: number): number => Math.exp(-s * Math.log(x));
  // H(x) = ∫ h: ((x^(1−s)) − 1) / (1 − s), or log(x) at s = 1, in one stable form.
  const hIntegral = (x: number): number => {
    const logX = Math.log(x);
    return helper2((1 - s) * logX) * logX;
  };
  const hIntegralInverse = (x: number): number => {
    let t = x * (1 - s);
    if (t < -1) t = -1; // rounding can push it just below the domain
    return Math.exp(helper1(t) * x);
  };
  const hX1 = hIntegral(1.5) - 1;
  const hN = hIntegral(n + 0.5);
  const squeeze = 2 - hIntegralInverse(hIntegral(2.5) - h(2));
  return (): number => {
    for (;;) {
      const u = hN + rng() * (hX1 - hN);
      const x = hIntegralInverse(u);
      let k = Math.floor(x + 0.5);
      if (k < 1) k = 1;
      else if (k > n) k = n;
      if (k - x <= squeeze || u >= hIntegral(k + 0.5) - h(k)) return k - 1;
    }
  };
}
