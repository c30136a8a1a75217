import { BiaslabError } from '@biaslab/core';
import { toVector } from './inputs';
import type { VectorInput } from './inputs';
import type { DenseMatrix } from '@biaslab/linalg';

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

/** Check that `X` (n × d) and `y` (length n) fit together; returns the copies. */
export function toRegressionData(
  X: MatrixInput,
  y: VectorInput,
): { readonly X: DenseMatrix; readonly y: Float64Array } {
  const Xd = toMatrix(X, 'X');
  const yd = toVector(y, 'y', Xd.rows);
  return { X: Xd, y: yd };
}
