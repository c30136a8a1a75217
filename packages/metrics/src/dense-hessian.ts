import { BiaslabError } from '@biaslab/core';
import type { Oracle } from '@biaslab/core';

/** Options of {@link denseHessian}. */
export interface DenseHessianOptions {
  /**
   * Coordinates of θ to keep (e.g. the trained ones): the result is the principal submatrix H[I, I], built
   * from |I| products. Default: all coordinates.
   */
  readonly indices?: readonly number[];
}

/** A dense symmetric Hessian and how symmetric the products were before symmetrising. */
export interface DenseHessian {
  /** Order P of the matrix. */
  readonly size: number;
  /** (H + Hᵀ)/2, P × P row-major. */
  readonly matrix: Float64Array;
  /** max_ij |H_ij − H_ji| of the raw product columns. */
  readonly asymmetry: number;
  /** `asymmetry` / max_ij |H_ij| (0 for the zero matrix). */
  readonly relativeAsymmetry: number;
}

/**
 * The exact Hessian ∇²L(θ) as a dense matrix: column j is the product H·e_j with the unit vector e_j (P
 * products), then symmetrised, H ← (H + Hᵀ)/2. The largest asymmetry seen is reported: exact HVPs give a
 * symmetric matrix up to rounding, so a large value points at a wrong derivative rule. This is the oracle every
 * Hessian estimator is tested against on small models.
 */
export async function denseHessian(
  oracle: Oracle,
  theta: Float64Array,
  options: DenseHessianOptions = {},
): Promise<DenseHessian> {
  if (theta.length !== oracle.size) {
    throw new BiaslabError(
      'SHAPE',
      `denseHessian: θ has \`${theta.length}\` entries but the oracle's parameter vector has \`${oracle.size}\`.`,
    );
  }
  const indices = options.indices ?? Array.from({ length: oracle.size }, (_, i) => i);
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= oracle.size) {
      throw new BiaslabError(
        'SHAPE',
        `denseHessian: index \`${i}\` is outside θ; expected integers in 0..${oracle.size - 1}.`,
      );
    }
  }
  const p = indices.length;
  const raw = new Float64Array(p * p);
  const unit = new Float64Array(oracle.size);
  for (let j = 0; j < p; j++) {
    unit[indices[j]] = 1;
    const column = await oracle.hvp(theta, Float64Array.from(unit));
    unit[indices[j]] = 0;
    if (column.length !== oracle.size) {
      throw new BiaslabError(
        'SHAPE',
        `denseHessian: the HVP returned \`${column.length}\` entries; expected \`${oracle.size}\`.`,
      );
    }
    for (let i = 0; i < p; i++) raw[i * p + j] = column[indices[i]];
  }
  const matrix = new Float64Array(p * p);
  let asymmetry = 0;
  let largest = 0;
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      const a = raw[i * p + j];
      const b = raw[j * p + i];
      asymmetry = Math.max(asymmetry, Math.abs(a - b));
      largest = Math.max(largest, Math.abs(a), Math.abs(b));
      const s = 0.5 * (a + b);
      matrix[i * p + j] = s;
      matrix[j * p + i] = s;
    }
  }
  return { size: p, matrix, asymmetry, relativeAsymmetry: largest > 0 ? asymmetry / largest : 0 };
}
