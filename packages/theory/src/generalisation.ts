import { BiaslabError } from '@biaslab/core';
import { toMatrix } from './matrix-input';
import type { MatrixInput } from './matrix-input';
import { toVector } from './inputs';
import type { VectorInput } from './inputs';

/**
 * Expected squared prediction error of a linear predictor against the ground truth for Gaussian test inputs
 * x′ ~ N(0, Σ):  E(⟨x′, β⟩ − ⟨x′, β*⟩)² = (β − β*)ᵀ Σ (β − β*), since E[x′x′ᵀ] = Σ.
 * `covariance` is omitted (Σ = I: the error is ‖β − β*‖₂²), a vector (diagonal Σ) or a d × d matrix.
 */
export function gaussianGeneralisationError(
  beta: VectorInput,
  betaStar: VectorInput,
  covariance?: VectorInput | MatrixInput,
): number {
  const b = toVector(beta, 'beta');
  const s = toVector(betaStar, 'betaStar', b.length);
  const e = Float64Array.from(b, (v, i) => v - s[i]);
  const d = e.length;
  if (covariance === undefined) return e.reduce((acc, v) => acc + v * v, 0);
  const first = (covariance as ArrayLike<unknown>)[0];
  if (typeof first === 'number') {
    const diag = toVector(covariance as VectorInput, 'covariance', d);
    return e.reduce((acc, v, i) => acc + diag[i] * v * v, 0);
  }
  const sigma = toMatrix(covariance as MatrixInput, 'covariance');
  if (sigma.rows !== d || sigma.cols !== d) {
    throw new BiaslabError(
      'SHAPE',
      `\`covariance\` is ${sigma.rows} × ${sigma.cols}; expected ${d} × ${d} to match \`beta\`.`,
      { expected: d, rows: sigma.rows, cols: sigma.cols },
    );
  }
  let total = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) total += e[i] * sigma.data[i * d + j] * e[j];
  return total;
}
