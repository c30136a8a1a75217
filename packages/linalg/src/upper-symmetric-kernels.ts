// BLAS-2/3 kernels of the blocked Householder reduction on a row-major matrix whose upper triangle holds a
// symmetric A: each entry is read once per product or update, in contiguous row sweeps.

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

/**
 * A[r, c] −= Σ_p v_p[r] w_p[c] + w_p[r] v_p[c] for from ≤ r ≤ c < n (upper triangle), four reflectors per
 * sweep over a row so each entry is loaded and stored once per four.
 */
export function rank2kUpdate(
  a: Float64Array,
  n: number,
  from: number,
  vt: readonly Float64Array[],
  wt: readonly Float64Array[],
): void {
  const count = vt.length;
  for (let r = from; r < n; r++) {
    const row = r * n;
    let p = 0;
    for (; p + 4 <= count; p += 4) {
      const v0 = vt[p];
      const v1 = vt[p + 1];
      const v2 = vt[p + 2];
      const v3 = vt[p + 3];
      const w0 = wt[p];
      const w1 = wt[p + 1];
      const w2 = wt[p + 2];
      const w3 = wt[p + 3];
      const a0 = v0[r];
      const a1 = v1[r];
      const a2 = v2[r];
      const a3 = v3[r];
      const b0 = w0[r];
      const b1 = w1[r];
      const b2 = w2[r];
      const b3 = w3[r];
      for (let c = r; c < n; c++) {
        a[row + c] -=
          a0 * w0[c] + b0 * v0[c] + a1 * w1[c] + b1 * v1[c] + a2 * w2[c] + b2 * v2[c] + a3 * w3[c] + b3 * v3[c];
      }
    }
    for (; p < count; p++) {
      const vp = vt[p];
      const wp = wt[p];
      const ar = vp[r];
      const br = wp[r];
      for (let c = r; c < n; c++) a[row + c] -= ar * wp[c] + br * vp[c];
    }
  }
}
