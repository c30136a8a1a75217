import { BiaslabError } from '@biaslab/core';
import { choleskySolve, matTVec, matVec, weightedGram } from '@biaslab/linalg';
import { toRegressionData } from './matrix-input';
import type { MatrixInput } from './matrix-input';
import { requirePositive, toVector } from './inputs';
import type { VectorInput } from './inputs';

/** q(z) = 2 − √(4 + z²) + z·asinh(z/2), the scalar potential of Woodworth et al. (2020). */
export function woodworthQ(z: number): number {
  // near 0 the closed form cancels; its series z²/4 − z⁴/192 + z⁶/2560 is exact to rounding for |z| < 1e-2
  if (Math.abs(z) < 1e-2) return (z * z) / 4 - z ** 4 / 192 + z ** 6 / 2560;
  return 2 - Math.sqrt(4 + z * z) + z * Math.asinh(z / 2);
}

/**
 * Woodworth et al.'s regulariser for the signed diagonal network β = u⊙u − v⊙v from u₀ = v₀ = α·1:
 *   Q_α(β) = α² Σ_i q(β_i / α²),  q(z) = 2 − √(4 + z²) + z·asinh(z/2).
 * Q_α ≈ Σ β_i² / (4α²) for |β| ≪ α² (kernel regime) and ≈ Σ |β_i| log(|β_i|/α²) for |β| ≫ α² (rich regime);
 * ∂Q_α/∂β_i = asinh(β_i / (2α²)).
 * Reference: Woodworth, Gunasekar, Lee, Moroshko, Savarese, Golan, Soudry & Srebro, "Kernel and rich regimes in
 * overparametrized models", COLT 2020 (Theorem 1).
 */
export function woodworthRegulariser(beta: VectorInput, alpha: number): number {
  const b = toVector(beta, 'beta');
  const a2 = requirePositive(alpha, 'alpha') ** 2;
  let s = 0;
  for (const v of b) s += a2 * woodworthQ(v / a2);
  return s;
}

/** The interpolator selected by Q_α, with its dual certificate. */
export interface WoodworthInterpolator {
  readonly beta: Float64Array;
  /** The multipliers ν of Xβ = y: β_i = 2α² sinh((Xᵀν)_i). */
  readonly nu: Float64Array;
  /** Q_α(β). */
  readonly regulariser: number;
  /** max_k |(Xβ − y)_k|. */
  readonly residual: number;
  readonly iterations: number;
}

/**
 * argmin Q_α(β) s.t. Xβ = y — the gradient-flow limit of the signed diagonal network from u₀ = v₀ = α·1
 * (X of full row rank). KKT: ∇Q_α(β) = asinh(β/(2α²)) = Xᵀν, so β(ν) = 2α² sinh(Xᵀν); ν minimises the
 * smooth, strictly convex dual
 *   D(ν) = 2α² Σ_i (cosh((Xᵀν)_i) − 1) − νᵀy,  ∇D = Xβ(ν) − y,  ∇²D = X diag(2α² cosh(Xᵀν)) Xᵀ,
 * solved by damped Newton (Armijo backtracking, steps capped at ‖Xᵀδν‖∞ ≤ 1) to ‖Xβ − y‖∞ ≤ 1e-13·(1 + ‖y‖∞). As α → 0 the solution tends
 * to the min-ℓ1 interpolator, as α → ∞ to the min-ℓ2 one. The flow matches because u_i(t) = α e^{−2∫g_i},
 * v_i(t) = α e^{2∫g_i} with g = (1/n)Xᵀr, so β(t) = 2α² sinh(Xᵀν(t)) with ν(t) = −(4/n)∫r stays on this family.
 * Reference: Woodworth et al. 2020 (COLT), Theorem 1.
 */
export function woodworthInterpolator(X: MatrixInput, y: VectorInput, alpha: number): WoodworthInterpolator {
  const data = toRegressionData(X, y);
  const a2 = requirePositive(alpha, 'alpha') ** 2;
  const { rows: n } = data.X;
  const betaOf = (nu: Float64Array) => Float64Array.from(matTVec(data.X, nu), (s) => 2 * a2 * Math.sinh(s));
  const dual = (nu: Float64Array) => {
    let v = 0;
    // cosh(s) − 1 = 2 sinh²(s/2), without cancellation for small s (large α)
    for (const s of matTVec(data.X, nu)) v += 4 * a2 * Math.sinh(s / 2) ** 2;
    for (let k = 0; k < n; k++) v -= nu[k] * data.y[k];
    return v;
  };
  let yScale = 0;
  for (const v of data.y) yScale = Math.max(yScale, Math.abs(v));
  let nu = new Float64Array(n);
  let value = dual(nu);
  let iterations = 0;
  let residual = Infinity;
  for (; iterations < 5000; iterations++) {
    const beta = betaOf(nu);
    const fit = matVec(data.X, beta);
    const grad = Float64Array.from(fit, (f, k) => f - data.y[k]);
    residual = Math.max(...grad.map(Math.abs));
    if (residual <= 1e-13 * (1 + yScale)) break;
    const weights = Float64Array.from(matTVec(data.X, nu), (s) => 2 * a2 * Math.cosh(s));
    const step = choleskySolve(weightedGram(data.X, weights), grad, n);
    if (!step) {
      throw new BiaslabError(
        'INVALID_OPTIONS',
        'X·diag(w)·Xᵀ is singular: `X` must have full row rank (no repeated or dependent data points) for the Q_α ' +
          'interpolator to exist. Remove dependent rows.',
        {},
      );
    }
    let slope = 0;
    for (let k = 0; k < n; k++) slope += grad[k] * step[k];
    // trust region: β changes by at most a factor e per iteration (|Xᵀ·step| ≤ 1), which keeps small α stable
    let reach = 0;
    for (const v of matTVec(data.X, step)) reach = Math.max(reach, Math.abs(v));
    let t = Math.min(1, 1 / reach);
    let next = nu;
    let nextValue = value;
    for (let back = 0; back < 60; back++) {
      next = Float64Array.from(nu, (v, k) => v - t * step[k]);
      nextValue = dual(next);
      if (Number.isFinite(nextValue) && nextValue <= value - 1e-4 * t * slope) break;
      t *= 0.5;
    }
    if (!(nextValue < value) && t < 1e-15) break;
    nu = next;
    value = nextValue;
  }
  const beta = betaOf(nu);
  const fit = matVec(data.X, beta);
  residual = 0;
  for (let k = 0; k < n; k++) residual = Math.max(residual, Math.abs(fit[k] - data.y[k]));
  if (!(residual <= 1e-9 * (1 + yScale))) {
    throw new BiaslabError(
      'RUNTIME',
      `The Q_α interpolator did not converge: ‖Xβ − y‖∞ = ${residual} after ${iterations} Newton steps (α = ${alpha}). ` +
        'Rescale X and y to order one, or use α within about 1e-150…1e150.',
      { residual, iterations },
    );
  }
  return { beta, nu, regulariser: woodworthRegulariser(beta, alpha), residual, iterations };
}

/** The minimum-ℓ2 interpolator β = Xᵀ(XXᵀ)⁻¹y (X of full row rank): the α → ∞ limit of Q_α. */
export function minL2Interpolator(X: MatrixInput, y: VectorInput): Float64Array {
  const data = toRegressionData(X, y);
  const n = data.X.rows;
  const z = choleskySolve(weightedGram(data.X, new Float64Array(data.X.cols).fill(1)), data.y, n);
  if (!z) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      '`X` must have full row rank for the min-ℓ2 interpolator; remove dependent rows.',
      {},
    );
  }
  return matTVec(data.X, z);
}
