/** The smallest and largest eigenvalue of a symmetric matrix. */
export interface ExtremeEigenvalues {
  readonly min: number;
  readonly max: number;
}

/**
 * Smallest and largest eigenvalue of D + ρ·u uᵀ with D = diag(d) and ρ ≥ 0, in O(d) per secular evaluation.
 *
 * Deflation: a coordinate with u_i = 0 keeps d_i as an eigenvalue, and a group of k equal d's with weights
 * u_i keeps that value k − 1 times; merging each group into one pole with weight W = Σ u_i² leaves distinct
 * poles δ_1 < … < δ_K with W_k > 0, whose eigenvalues are the roots of the secular equation
 *   f(λ) = 1 + ρ Σ_k W_k / (δ_k − λ) = 0,
 * one in each (δ_k, δ_{k+1}) and one in (δ_K, δ_K + ρ ΣW] (f is increasing between poles).
 * The extremes are therefore min(deflated values, root in (δ_1, δ_2)) and max(deflated values, last root),
 * each found by bisection to machine precision.
 * Reference: Golub, "Some modified matrix eigenvalue problems", SIAM Review 15 (1973); Golub & Van Loan §8.4.
 */
export function rankOneUpdateExtremes(
  d: ArrayLike<number>,
  u: ArrayLike<number>,
  rho: number,
): ExtremeEigenvalues {
  const m = d.length;
  const deflated: number[] = [];
  const groups = new Map<number, { weight: number; count: number }>();
  for (let i = 0; i < m; i++) {
    const w = rho * u[i] * u[i];
    if (w === 0) {
      deflated.push(d[i]);
      continue;
    }
    const g = groups.get(d[i]);
    if (g) {
      g.weight += w;
      g.count += 1;
    } else groups.set(d[i], { weight: w, count: 1 });
  }
  const poles = [...groups.entries()].sort((a, b) => a[0] - b[0]);
  for (const [delta, g] of poles) for (let k = 1; k < g.count; k++) deflated.push(delta);
  let min = Infinity;
  let max = -Infinity;
  for (const v of deflated) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (poles.length === 0) return { min, max };
  // f(λ) = 1 + Σ W_k / (δ_k − λ), increasing on each interval between poles
  const secular = (lambda: number) => {
    let s = 1;
    for (const [delta, g] of poles) s += g.weight / (delta - lambda);
    return s;
  };
  const bisect = (lo: number, hi: number) => {
    for (let it = 0; it < 2000; it++) {
      const mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) break;
      if (secular(mid) < 0) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  };
  const total = poles.reduce((s, [, g]) => s + g.weight, 0);
  const last = poles[poles.length - 1][0];
  const top = bisect(last, last + total);
  const bottom = poles.length === 1 ? top : bisect(poles[0][0], poles[1][0]);
  return { min: Math.min(min, bottom), max: Math.max(max, top) };
}
