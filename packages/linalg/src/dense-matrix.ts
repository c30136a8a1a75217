/** A dense row-major matrix: entry (i, j) is `data[i * cols + j]`. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A `DenseMatrix`, or a square row-major Float64Array whose order is the length of the vector it meets. */
export type MatrixOperand = DenseMatrix | Float64Array;

function asDense(a: MatrixOperand, order: number): DenseMatrix {
  return a instanceof Float64Array ? { rows: order, cols: order, data: a } : a;
}

/** A x for a row-major A (rows × cols, or square of order x.length). */
export function matVec(a: MatrixOperand, x: ArrayLike<number>): Float64Array {
  const { rows, cols, data } = asDense(a, x.length);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const o = i * cols;
    for (let j = 0; j < cols; j++) s += data[o + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** Aᵀ x for a row-major A (rows × cols, or square of order x.length). */
export function matTVec(a: MatrixOperand, x: ArrayLike<number>): Float64Array {
  const { rows, cols, data } = asDense(a, x.length);
  const out = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j] += data[i * cols + j] * x[i];
  }
  return out;
}

/** The n × n matrix X·diag(g)·Xᵀ of an n × d row-major X (symmetric, row-major). */
export function weightedGram(X: DenseMatrix, g: ArrayLike<number>): Float64Array {
  const { rows: n, cols: d, data } = X;
  const out = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += data[a * d + j] * g[j] * data[b * d + j];
      out[a * n + b] = s;
      out[b * n + a] = s;
    }
  }
  return out;
}

/**
 * Solves A z = b for a symmetric positive definite n × n A (row-major) by the Cholesky factorisation A = LLᵀ
 * and two triangular solves. Returns undefined when A is not numerically positive definite (a pivot ≤ 0).
 */
export function choleskySolve(A: Float64Array, b: ArrayLike<number>, n: number): Float64Array | undefined {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i * n + i] = Math.sqrt(s);
      } else {
        L[i * n + j] = s / L[j * n + j];
      }
    }
  }
  // L y = b, then Lᵀ z = y
  const z = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) z[i] -= L[i * n + k] * z[k];
    z[i] /= L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) z[i] -= L[k * n + i] * z[k];
    z[i] /= L[i * n + i];
  }
  return z;
}
