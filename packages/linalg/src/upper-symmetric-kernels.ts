// BLAS-2 kernels of the blocked Householder reduction on a row-major matrix whose upper triangle holds a
// symmetric A, read in contiguous row sweeps (its rank-2k update is `rank2k` in wasm-kernels.wat).

/**
 * y[from:] = A[from:, from:] v[from:] reading only the upper triangle of the row-major A, in one pass over it:
 * four rows at a time, each entry a_ij (j > i) adding a_ij·v_j to y_i and a_ij·v_i to y_j.
 */
export function symvUpper(a: Float64Array, n: number, from: number, v: Float64Array, y: Float64Array): void {
  y.fill(0, from);
  let i = from;
  for (; i + 4 <= n; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    const v0 = v[i];
    const v1 = v[i + 1];
    const v2 = v[i + 2];
    const v3 = v[i + 3];
    // the 4 × 4 diagonal block
    const a01 = a[r0 + i + 1];
    const a02 = a[r0 + i + 2];
    const a03 = a[r0 + i + 3];
    const a12 = a[r1 + i + 2];
    const a13 = a[r1 + i + 3];
    const a23 = a[r2 + i + 3];
    let s0 = a[r0 + i] * v0 + a01 * v1 + a02 * v2 + a03 * v3;
    let s1 = a01 * v0 + a[r1 + i + 1] * v1 + a12 * v2 + a13 * v3;
    let s2 = a02 * v0 + a12 * v1 + a[r2 + i + 2] * v2 + a23 * v3;
    let s3 = a03 * v0 + a13 * v1 + a23 * v2 + a[r3 + i + 3] * v3;
    for (let j = i + 4; j < n; j++) {
      const x0 = a[r0 + j];
      const x1 = a[r1 + j];
      const x2 = a[r2 + j];
      const x3 = a[r3 + j];
      const vj = v[j];
      s0 += x0 * vj;
      s1 += x1 * vj;
      s2 += x2 * vj;
      s3 += x3 * vj;
      y[j] += x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3;
    }
    y[i] += s0;
    y[i + 1] += s1;
    y[i + 2] += s2;
    y[i + 3] += s3;
  }
  for (; i < n; i++) {
    const row = i * n;
    const vi = v[i];
    let s = a[row + i] * vi;
    for (let j = i + 1; j < n; j++) {
      const aij = a[row + j];
      s += aij * v[j];
      y[j] += aij * vi;
    }
    y[i] += s;
  }
}

/** Σ_{i ≥ from} xᵢyᵢ over indices from…n−1. */
export function dotFrom(x: Float64Array, y: Float64Array, from: number, n: number): number {
  let s = 0;
  for (let i = from; i < n; i++) s += x[i] * y[i];
  return s;
}
