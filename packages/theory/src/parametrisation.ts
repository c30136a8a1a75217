import { BiaslabError } from '@biaslab/core';
import { symmetricEigen, weightedGram } from '@biaslab/linalg';
import { toMatrix } from './matrix-input';
import type { MatrixInput } from './matrix-input';
import { toVector } from './inputs';
import type { VectorInput } from './inputs';

/**
 * A diagonal-linear-network parametrisation of the predictor β:
 * - `'shared'`: β = w⊙w (predictors β ≥ 0);
 * - `'signed'`: β = u⊙u − v⊙v (Woodworth et al. 2020);
 * - `'unshared'`: β = u⊙v (Even et al. 2023), the same as `{ depth: 2 }`;
 * - `{ depth: L }`: β = u₁⊙…⊙u_L, L ≥ 2.
 */
export type Parametrisation = 'shared' | 'signed' | 'unshared' | { readonly depth: number };

/**
 * The interpolator sharpness of a parametrisation in the form S(β) = λ_max((c/n)·X diag(|β|^p) Xᵀ), minimised
 * over all parameters θ that realise β (see `interpolatorSharpness`).
 */
export interface SharpnessForm {
  /** c in S = λ_max((c/n) X diag(|β|^p) Xᵀ). */
  readonly factor: number;
  /** p in S = λ_max((c/n) X diag(|β|^p) Xᵀ). */
  readonly power: number;
  /** True when the parametrisation only realises β ≥ 0. */
  readonly nonnegative: boolean;
}

/**
 * The sharpness form of a parametrisation. For L(θ) = (1/2n)‖Xβ(θ) − y‖² the Hessian at an interpolator is
 * (1/n) JᵀJ with J = X·∂β/∂θ (the residual term vanishes); its nonzero eigenvalues are those of
 * (1/n) J Jᵀ = (1/n) X diag(g) Xᵀ with g_i = Σ_θ (∂β_i/∂θ)², and g only grows the matrix (in the PSD order),
 * so the flattest θ realising β minimises each g_i:
 * - shared, ∂β_i/∂w_i = 2w_i: g_i = 4w_i² = 4β_i (c = 4, p = 1, β ≥ 0);
 * - signed, (2u_i, −2v_i): g_i = 4(u_i² + v_i²) ≥ 4|β_i|, equality at u_i² = β_i⁺, v_i² = β_i⁻ (c = 4, p = 1);
 * - unshared, (v_i, u_i): g_i = u_i² + v_i² ≥ 2|u_i v_i| = 2|β_i| by AM–GM, equality at |u_i| = |v_i| (c = 2, p = 1);
 * - depth L, ∂β_i/∂u_{l,i} = Π_{m≠l} u_{m,i}: g_i = Σ_l Π_{m≠l} u_{m,i}² ≥ L|β_i|^{2−2/L} by AM–GM, equality at
 *   balanced |u_{l,i}| = |β_i|^{1/L} (c = L, p = 2 − 2/L).
 */
export function sharpnessForm(parametrisation: Parametrisation): SharpnessForm {
  if (parametrisation === 'shared') return { factor: 4, power: 1, nonnegative: true };
  if (parametrisation === 'signed') return { factor: 4, power: 1, nonnegative: false };
  if (parametrisation === 'unshared') return { factor: 2, power: 1, nonnegative: false };
  const depth = typeof parametrisation === 'object' ? parametrisation.depth : NaN;
  if (!(Number.isInteger(depth) && depth >= 2)) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `Unknown parametrisation \`${JSON.stringify(parametrisation)}\`; expected 'shared', 'signed', 'unshared' or ` +
        '{ depth: L } with an integer L ≥ 2.',
      { received: parametrisation },
    );
  }
  return { factor: depth, power: 2 - 2 / depth, nonnegative: false };
}

/**
 * The sharpness at an interpolator β (Xβ = y), minimised over the parameters that realise β:
 * S(β) = λ_max((c/n) X diag(|β|^p) Xᵀ) with (c, p) from `sharpnessForm`. Throws for β with negative entries
 * under the shared parametrisation. Dense symmetric eigensolver on the n × n matrix.
 */
export function interpolatorSharpness(
  X: MatrixInput,
  beta: VectorInput,
  parametrisation: Parametrisation,
): number {
  const form = sharpnessForm(parametrisation);
  const Xd = toMatrix(X, 'X');
  const b = toVector(beta, 'beta', Xd.cols);
  if (form.nonnegative && b.some((v) => v < 0)) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      "The shared parametrisation β = w⊙w only realises β ≥ 0; `beta` has a negative entry. Use 'signed'.",
      {},
    );
  }
  const n = Xd.rows;
  const g = Float64Array.from(b, (v) => (form.factor / n) * Math.pow(Math.abs(v), form.power));
  const { values } = symmetricEigen(weightedGram(Xd, g), n);
  return values[n - 1];
}

/**
 * The flattest parameters realising β (the equality cases above), as named vectors: shared `{ w }`, signed
 * `{ u, v }`, unshared `{ u, v }`, depth L `{ u0, …, u(L−1) }` (the sign of β carried by the first factor).
 */
export function balancedParameters(
  beta: VectorInput,
  parametrisation: Parametrisation,
): Record<string, Float64Array> {
  const form = sharpnessForm(parametrisation);
  const b = toVector(beta, 'beta');
  if (parametrisation === 'shared') {
    if (b.some((v) => v < 0)) {
      throw new BiaslabError(
        'INVALID_OPTIONS',
        "β = w⊙w needs `beta` ≥ 0; use 'signed' for negative entries.",
        {},
      );
    }
    return { w: b.map(Math.sqrt) };
  }
  if (parametrisation === 'signed') {
    return { u: b.map((v) => Math.sqrt(Math.max(v, 0))), v: b.map((v) => Math.sqrt(Math.max(-v, 0))) };
  }
  const depth = Math.round(form.factor);
  const out: Record<string, Float64Array> = {};
  const magnitude = b.map((v) => Math.pow(Math.abs(v), 1 / depth));
  if (parametrisation === 'unshared') {
    return { u: magnitude.map((m, i) => Math.sign(b[i]) * m), v: magnitude };
  }
  for (let l = 0; l < depth; l++)
    out[`u${l}`] = l === 0 ? magnitude.map((m, i) => Math.sign(b[i]) * m) : magnitude;
  return out;
}
