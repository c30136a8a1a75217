import type { Rng } from '@biaslab/core';

/**
 * A random n × n orthogonal matrix (row-major): modified Gram–Schmidt on the columns of a standard Gaussian
 * matrix. The test fixture from which symmetric matrices with a known spectrum are built.
 */
export function randomOrthogonal(n: number, rng: Rng): Float64Array {
  const q = rng.normals(n * n);
  for (let j = 0; j < n; j++) {
    // Twice for orthogonality to working precision.
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[i * n + j] * q[i * n + k];
        for (let i = 0; i < n; i++) q[i * n + j] -= dot * q[i * n + k];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[i * n + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) q[i * n + j] /= norm;
  }
  return q;
}

/**
 * The symmetric matrix Q diag(λ) Qᵀ for a random orthogonal Q. Column j of `q` (row-major) is the unit
 * eigenvector of `values[j]`.
 */
export function symmetricFromSpectrum(
  values: readonly number[],
  rng: Rng,
): { matrix: Float64Array; q: Float64Array } {
  const n = values.length;
  const q = randomOrthogonal(n, rng);
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k] * values[k] * q[j * n + k];
      matrix[i * n + j] = s;
      matrix[j * n + i] = s;
    }
  }
  return { matrix, q };
}
