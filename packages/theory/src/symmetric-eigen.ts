/** Eigen-decomposition of a real symmetric matrix. */
export interface SymmetricEigen {
  /** Eigenvalues in ascending order. */
  readonly values: Float64Array;
  /** Unit eigenvectors, `vectors[k]` belonging to `values[k]`. */
  readonly vectors: Float64Array[];
}

/**
 * All eigenvalues and eigenvectors of a symmetric n × n matrix (row-major; only symmetry is assumed, the
 * lower triangle is read as well) by the cyclic Jacobi method: rotations G(p, q, θ) with
 * tan 2θ = 2a_pq / (a_qq − a_pp) zero one off-diagonal pair at a time until the off-diagonal mass is below
 * 1e-30 of the total. Accurate to a few ulps of ‖A‖ and fine for the n ≲ 100 matrices of this package.
 * Reference: Golub & Van Loan, Matrix Computations (4th ed., 2013), §8.5.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): SymmetricEigen {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += a[i] * a[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += 2 * a[p * n + q] * a[p * n + q];
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        // t = tan θ, the smaller root of t² + 2τt − 1 = 0 with τ = (a_qq − a_pp)/(2a_pq)
        const tau = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i] - a[j * n + j]);
  const values = Float64Array.from(order, (i) => a[i * n + i]);
  const vectors = order.map((i) => Float64Array.from({ length: n }, (_, k) => v[k * n + i]));
  return { values, vectors };
}

/** The eigenvalue of largest magnitude of a symmetric n × n matrix, with its sign (dense Jacobi). */
export function largestMagnitudeEigenvalue(matrix: ArrayLike<number>, n: number): number {
  const { values } = symmetricEigen(matrix, n);
  const lo = values[0];
  const hi = values[n - 1];
  return Math.abs(lo) > Math.abs(hi) ? lo : hi;
}
