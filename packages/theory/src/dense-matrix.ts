import { BiaslabError } from '@biaslab/core';
import { toVector } from './inputs';
import type { VectorInput } from './inputs';

/** A dense row-major matrix: entry (i, j) is `data[i * cols + j]`. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A data matrix as accepted by the public API: n rows (one per data point) of d numbers, or a `DenseMatrix`. */
export type MatrixInput = ArrayLike<ArrayLike<number>> | DenseMatrix;

function isDense(m: MatrixInput): m is DenseMatrix {
  return (m as DenseMatrix).data instanceof Float64Array && typeof (m as DenseMatrix).rows === 'number';
}

/** Copy `m` into a row-major `DenseMatrix`, checking that rows have equal length and entries are finite. */
export function toMatrix(m: MatrixInput, name: string): DenseMatrix {
  if (isDense(m)) {
    if (m.data.length !== m.rows * m.cols) {
      throw new BiaslabError(
        'SHAPE',
        `\`${name}\` has ${m.data.length} entries; expected rows·cols = ${m.rows * m.cols}.`,
        { name },
      );
    }
    toVector(m.data, name);
    return { rows: m.rows, cols: m.cols, data: Float64Array.from(m.data) };
  }
  const rows = m.length;
  if (rows === 0)
    throw new BiaslabError('SHAPE', `\`${name}\` has no rows; pass at least one data point.`, { name });
  const cols = m[0].length;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    if (m[i].length !== cols) {
      throw new BiaslabError(
        'SHAPE',
        `\`${name}\` row ${i} has length ${m[i].length}; expected ${cols} like row 0.`,
        { name, row: i, expected: cols, received: m[i].length },
      );
    }
    data.set(toVector(m[i], `${name}[${i}]`), i * cols);
  }
  return { rows, cols, data };
}

/** Xβ for a row-major X. */
export function matVec(X: DenseMatrix, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let s = 0;
    for (let j = 0; j < X.cols; j++) s += X.data[i * X.cols + j] * v[j];
    out[i] = s;
  }
  return out;
}

/** Xᵀv for a row-major X. */
export function matTVec(X: DenseMatrix, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(X.cols);
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < X.cols; j++) out[j] += X.data[i * X.cols + j] * v[i];
  }
  return out;
}

/** Check that `X` (n × d) and `y` (length n) fit together; returns the copies. */
export function toRegressionData(
  X: MatrixInput,
  y: VectorInput,
): { readonly X: DenseMatrix; readonly y: Float64Array } {
  const Xd = toMatrix(X, 'X');
  const yd = toVector(y, 'y', Xd.rows);
  return { X: Xd, y: yd };
}

/** The n × n matrix X·diag(g)·Xᵀ (symmetric, row-major). */
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
 * Solve A z = b for a symmetric positive definite n × n A (row-major) by Cholesky factorisation, A = LLᵀ.
 * Returns undefined when A is not numerically positive definite.
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
