import loadHighs from 'highs';
import type { Highs } from 'highs';
import { BiaslabError } from '@biaslab/core';

/**
 * A linear or convex quadratic program in dense form:
 *   minimise ½ zᵀ diag(q) z + cᵀz  s.t.  rowLower ≤ A z ≤ rowUpper,  colLower ≤ z ≤ colUpper,
 * with A row-major (`numRows` × `numCols`); ±Infinity marks a missing bound.
 */
export interface DenseProgram {
  readonly numCols: number;
  readonly cost: ArrayLike<number>;
  readonly colLower: ArrayLike<number>;
  readonly colUpper: ArrayLike<number>;
  readonly numRows: number;
  readonly matrix: ArrayLike<number>;
  readonly rowLower: ArrayLike<number>;
  readonly rowUpper: ArrayLike<number>;
  /** Diagonal of the quadratic term, or undefined for a linear program. */
  readonly quadraticDiagonal?: ArrayLike<number>;
}

/** How a program ended: the HiGHS model status name and, when optimal, the solution. */
export interface ProgramResult {
  readonly status: 'optimal' | 'infeasible' | 'unbounded' | 'other';
  readonly z: Float64Array;
  readonly objective: number;
  readonly rowDual: Float64Array;
}

let highs: Promise<Highs> | undefined;

/**
 * HiGHS's active-set QP solver can cycle on degenerate cut sets; a capped QP reports status `other` so the
 * caller can fall back to a linear step instead of hanging.
 */
const QP_ITERATION_LIMIT = 2000;
const QP_TIME_LIMIT = 2;

/** The HiGHS WebAssembly runtime, loaded once on first use. */
function runtime(): Promise<Highs> {
  highs ??= loadHighs();
  return highs;
}

/**
 * Solve a dense LP or diagonal convex QP with HiGHS (dual simplex for LPs, active-set for QPs), with primal and
 * dual feasibility tolerances tightened to 1e-10 and QPs capped at 2000 iterations or 2 s (status `other`). Reference: Huangfu & Hall, "Parallelizing the dual revised
 * simplex method", Math. Prog. Comp. 10 (2018); the HiGHS solver (highs.dev) compiled to WebAssembly.
 */
export async function solveDenseProgram(program: DenseProgram): Promise<ProgramResult> {
  const h = await runtime();
  const { numCols, numRows } = program;
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < numRows; i++) {
    for (let j = 0; j < numCols; j++) {
      const a = program.matrix[i * numCols + j];
      if (a !== 0) {
        indices.push(j);
        values.push(a);
      }
    }
    starts.push(indices.length);
  }
  const q = program.quadraticDiagonal;
  let hessian:
    | { format: 'triangular'; dimension: number; starts: number[]; indices: number[]; values: number[] }
    | undefined;
  if (q !== undefined) {
    // only the nonzero diagonal entries are stored: HiGHS rejects explicit zeros in a Hessian
    const hStarts = [0];
    const hIndices: number[] = [];
    const hValues: number[] = [];
    for (let j = 0; j < numCols; j++) {
      if (q[j] !== 0) {
        hIndices.push(j);
        hValues.push(q[j]);
      }
      hStarts.push(hIndices.length);
    }
    hessian = {
      format: 'triangular',
      dimension: numCols,
      starts: hStarts,
      indices: hIndices,
      values: hValues,
    };
  }
  const model = h.createModel({
    numCols,
    numRows,
    colCost: Array.from(program.cost),
    colLower: Array.from(program.colLower),
    colUpper: Array.from(program.colUpper),
    rowLower: Array.from(program.rowLower),
    rowUpper: Array.from(program.rowUpper),
    matrix: { format: 'csr', numRows, numCols, starts, indices, values },
    ...(hessian ? { hessian } : {}),
  });
  try {
    model.options.set({
      output_flag: false,
      primal_feasibility_tolerance: 1e-10,
      dual_feasibility_tolerance: 1e-10,
      ...(q === undefined ? {} : { qp_iteration_limit: QP_ITERATION_LIMIT, time_limit: QP_TIME_LIMIT }),
    });
    model.run();
    const code = model.getModelStatus();
    const codes = h.constants.modelStatus;
    const status =
      code === codes.optimal
        ? 'optimal'
        : code === codes.infeasible
          ? 'infeasible'
          : code === codes.unbounded || code === codes.unboundedOrInfeasible
            ? 'unbounded'
            : 'other';
    if (status !== 'optimal') {
      return { status, z: new Float64Array(numCols), objective: NaN, rowDual: new Float64Array(numRows) };
    }
    const solution = model.getSolution();
    return {
      status,
      z: Float64Array.from(solution.colValue),
      objective: model.getObjectiveValue(),
      rowDual: Float64Array.from(solution.rowDual),
    };
  } catch (error) {
    throw new BiaslabError(
      'RUNTIME',
      `HiGHS failed on a program with ${numCols} columns and ${numRows} rows: ${(error as Error).message}. ` +
        'Check the data for huge or tiny magnitudes (rescale X and y).',
      {},
      { cause: error },
    );
  } finally {
    model.dispose();
  }
}
