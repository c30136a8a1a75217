import { BiaslabError } from '@biaslab/core';
import { matVec } from '@biaslab/linalg';
import { toRegressionData } from './matrix-input';
import type { MatrixInput } from './matrix-input';
import type { VectorInput } from './inputs';
import { solveDenseProgram } from './highs-program';

/** A minimum-ℓ1 interpolator with its certificate. */
export interface L1Interpolator {
  readonly beta: Float64Array;
  /** ‖β‖₁. */
  readonly l1: number;
  /** max_k |(Xβ − y)_k|. */
  readonly residual: number;
  /** The LP's row duals ν: ‖Xᵀν‖∞ ≤ 1 and νᵀy = ‖β‖₁ certify optimality (for β ≥ 0: Xᵀν ≤ 1). */
  readonly dual: Float64Array;
}

/**
 * The minimum-ℓ1 interpolator by linear programming (basis pursuit, Chen, Donoho & Saunders 1998):
 *   min ‖β‖₁ s.t. Xβ = y,  written with β = β⁺ − β⁻, β± ≥ 0: min 1ᵀ(β⁺ + β⁻) s.t. [X, −X](β⁺; β⁻) = y.
 * With `nonnegative` (the shared-weight model β = w⊙w, whose predictors are β ≥ 0): min 1ᵀβ s.t. Xβ = y, β ≥ 0.
 * Solved by HiGHS (dual simplex). X is n × d (one row per data point). Throws `INVALID_OPTIONS` when no
 * interpolator exists.
 */
export async function minL1Interpolator(
  X: MatrixInput,
  y: VectorInput,
  options: { nonnegative?: boolean } = {},
): Promise<L1Interpolator> {
  const data = toRegressionData(X, y);
  const { rows: n, cols: d } = data.X;
  const nonnegative = options.nonnegative ?? false;
  const m = nonnegative ? d : 2 * d;
  const matrix = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const a = data.X.data[i * d + j];
      matrix[i * m + j] = a;
      if (!nonnegative) matrix[i * m + d + j] = -a;
    }
  }
  const result = await solveDenseProgram({
    numCols: m,
    cost: new Float64Array(m).fill(1),
    colLower: new Float64Array(m),
    colUpper: new Float64Array(m).fill(Infinity),
    numRows: n,
    matrix,
    rowLower: data.y,
    rowUpper: data.y,
  });
  if (result.status !== 'optimal') {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `No ${nonnegative ? 'nonnegative ' : ''}β satisfies Xβ = y (HiGHS status \`${result.status}\`); expected y in the ` +
        `${nonnegative ? 'cone spanned by the columns of X' : 'range of X'}. Check X and y, or drop \`nonnegative\`.`,
      { status: result.status },
    );
  }
  const beta = nonnegative
    ? result.z
    : Float64Array.from({ length: d }, (_, j) => result.z[j] - result.z[d + j]);
  const fit = matVec(data.X, beta);
  let residual = 0;
  for (let i = 0; i < n; i++) residual = Math.max(residual, Math.abs(fit[i] - data.y[i]));
  let l1 = 0;
  for (const b of beta) l1 += Math.abs(b);
  return { beta, l1, residual, dual: result.rowDual };
}
