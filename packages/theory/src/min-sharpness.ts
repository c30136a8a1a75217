import { BiaslabError } from '@biaslab/core';
import { matVec, symmetricEigen, weightedGram } from '@biaslab/linalg';
import type { DenseMatrix } from '@biaslab/linalg';
import { toRegressionData } from './matrix-input';
import type { MatrixInput } from './matrix-input';
import type { VectorInput } from './inputs';
import { solveDenseProgram } from './highs-program';
import { sharpnessForm } from './parametrisation';
import type { Parametrisation } from './parametrisation';

/** The minimum-sharpness interpolator with its optimality gap. */
export interface SharpnessInterpolator {
  readonly beta: Float64Array;
  /** S(β) = λ_max((c/n) X diag(|β|^p) Xᵀ) at the returned β. */
  readonly sharpness: number;
  /** A certified lower bound on the minimum (the cutting-plane model's minimum). */
  readonly lowerBound: number;
  /** max_k |(Xβ − y)_k|. */
  readonly residual: number;
  readonly iterations: number;
}

/** Options of `minSharpnessInterpolator`. */
export interface MinSharpnessOptions {
  /** Stop when sharpness − lowerBound ≤ tolerance·sharpness (default 1e-8). */
  readonly tolerance?: number;
  /** Iteration cap (default 300); the result still carries its certified gap. */
  readonly maxIterations?: number;
}

/**
 * The flattest interpolator of a diagonal network:
 *   min_β S(β) = λ_max((c/n) X diag(|β|^p) Xᵀ)  s.t.  Xβ = y  (β ≥ 0 for the shared model),
 * with (c, p) from `sharpnessForm` (p ≥ 1, so S is convex: λ_max is convex and nondecreasing in the weights
 * and |β|^p is convex). Written over z = (β⁺, β⁻) ≥ 0 with weights h = (β⁺ + β⁻)^p (or z = β for the shared
 * model), G(z) = λ_max(M(z)) is convex with subgradient ∂G/∂z_i = (c/n) p h_i^{p−1} (x_iᵀv)² from the top
 * eigenvector v of M(z) (x_i the i-th column of X). Solved by the level bundle method: cutting-plane model
 * G_k(z) = max_j G(z_j) + s_jᵀ(z − z_j); an LP (HiGHS) gives the lower bound min G_k, and the next iterate
 * is the Euclidean projection (a QP, HiGHS) of the current one onto {G_k ≤ ℓ} with the level
 * ℓ = low + 0.3·(best − low). Reference: Lemaréchal, Nemirovskii & Nesterov, "New variants of bundle
 * methods", Math. Programming 69 (1995).
 */
export async function minSharpnessInterpolator(
  X: MatrixInput,
  y: VectorInput,
  parametrisation: Parametrisation,
  options: MinSharpnessOptions = {},
): Promise<SharpnessInterpolator> {
  const data = toRegressionData(X, y);
  const form = sharpnessForm(parametrisation);
  const tolerance = options.tolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 300;
  const { rows: n, cols: d } = data.X;
  const m = form.nonnegative ? d : 2 * d;
  // equality rows [X, −X] z = y (or X z = y)
  const eq = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      eq[i * m + j] = data.X.data[i * d + j];
      if (!form.nonnegative) eq[i * m + d + j] = -data.X.data[i * d + j];
    }
  }
  const toBeta = (z: ArrayLike<number>) =>
    form.nonnegative ? Float64Array.from(z) : Float64Array.from({ length: d }, (_, j) => z[j] - z[d + j]);
  const evaluate = (z: Float64Array) => oracle(data.X, z, form.factor, form.power, form.nonnegative);

  const start = await solveDenseProgram({
    numCols: m,
    cost: new Float64Array(m).fill(1),
    colLower: new Float64Array(m),
    colUpper: new Float64Array(m).fill(Infinity),
    numRows: n,
    matrix: eq,
    rowLower: data.y,
    rowUpper: data.y,
  });
  if (start.status !== 'optimal') {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `No ${form.nonnegative ? 'nonnegative ' : ''}β satisfies Xβ = y (HiGHS status \`${start.status}\`), so there is no ` +
        'interpolator to flatten. Check X and y.',
      { status: start.status },
    );
  }
  let z: Float64Array = Float64Array.from(start.z, (v) => Math.max(v, 0));
  // cut j as a row over (z, t): s_jᵀz − t ≤ s_jᵀz_j − G(z_j) = (p − 1)·G(z_j), by Euler's identity for the
  // degree-p homogeneous G
  const cutRows: Float64Array[] = [];
  const cutOffsets: number[] = [];
  let best = Infinity;
  let bestZ: Float64Array = z;
  let low = -Infinity;
  const addCut = (at: Float64Array) => {
    const { value, slope } = evaluate(at);
    if (value < best) {
      best = value;
      bestZ = at;
    }
    const offset = (form.power - 1) * value;
    const scale = Math.max(1e-300, ...slope.map(Math.abs));
    const duplicate = cutRows.some(
      (row, c) =>
        Math.abs(cutOffsets[c] - offset) <= 1e-12 * Math.max(1, Math.abs(offset)) &&
        row.every((v, j) => Math.abs(v - slope[j]) <= 1e-12 * scale),
    );
    if (!duplicate) {
      cutRows.push(slope);
      cutOffsets.push(offset);
    }
  };
  addCut(z);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const k = cutRows.length;
    const cols = m + 1;
    const matrix = new Float64Array((n + k) * cols);
    const rowLower = new Float64Array(n + k);
    const rowUpper = new Float64Array(n + k);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) matrix[i * cols + j] = eq[i * m + j];
      rowLower[i] = data.y[i];
      rowUpper[i] = data.y[i];
    }
    for (let c = 0; c < k; c++) {
      matrix.set(cutRows[c], (n + c) * cols);
      matrix[(n + c) * cols + m] = -1;
      rowLower[n + c] = -Infinity;
      rowUpper[n + c] = cutOffsets[c];
    }
    const colLower = new Float64Array(cols);
    colLower[m] = -Infinity;
    const colUpper = new Float64Array(cols).fill(Infinity);
    const cost = new Float64Array(cols);
    cost[m] = 1;
    const lp = await solveDenseProgram({
      numCols: cols,
      cost,
      colLower,
      colUpper,
      numRows: n + k,
      matrix,
      rowLower,
      rowUpper,
    });
    if (lp.status !== 'optimal') break;
    low = Math.max(low, lp.objective);
    // the model's minimiser (Kelley's point) is evaluated too: it closes the gap at once on polyhedral pieces
    const kelley = Float64Array.from(lp.z.subarray(0, m), (v) => Math.max(v, 0));
    addCut(kelley);
    if (best - low <= tolerance * Math.max(best, Number.MIN_VALUE)) break;
    // projection of z onto {model ≤ level}: min ½‖z‖² − zₖᵀz with t fixed to the level
    const level = low + 0.3 * (best - low);
    colLower[m] = level;
    colUpper[m] = level;
    const qCost = new Float64Array(cols);
    for (let j = 0; j < m; j++) qCost[j] = -z[j];
    const diagonal = new Float64Array(cols).fill(1);
    diagonal[m] = 0;
    let next = kelley;
    try {
      const qp = await solveDenseProgram({
        numCols: cols,
        cost: qCost,
        colLower,
        colUpper,
        numRows: n + k,
        matrix,
        rowLower,
        rowUpper,
        quadraticDiagonal: diagonal,
      });
      if (qp.status === 'optimal') next = Float64Array.from(qp.z.subarray(0, m), (v) => Math.max(v, 0));
    } catch {
      // a failed projection (degenerate cut set) falls back to the Kelley step, which is always valid
    }
    z = next;
    addCut(z);
  }
  const beta = toBeta(bestZ);
  // the reported sharpness is at β itself, where β⁺ and β⁻ no longer overlap
  const sharpness = oracle(
    data.X,
    form.nonnegative ? beta : splitSigns(beta),
    form.factor,
    form.power,
    form.nonnegative,
  ).value;
  const fit = matVec(data.X, beta);
  let residual = 0;
  for (let i = 0; i < n; i++) residual = Math.max(residual, Math.abs(fit[i] - data.y[i]));
  return { beta, sharpness, lowerBound: Math.min(low, sharpness), residual, iterations: iterations + 1 };
}

function splitSigns(beta: Float64Array): Float64Array {
  const d = beta.length;
  const z = new Float64Array(2 * d);
  for (let j = 0; j < d; j++) {
    z[j] = Math.max(beta[j], 0);
    z[d + j] = Math.max(-beta[j], 0);
  }
  return z;
}

/** G(z) = λ_max((c/n) X diag(h(z)^p) Xᵀ) and a subgradient with respect to z. */
function oracle(
  X: DenseMatrix,
  z: Float64Array,
  factor: number,
  power: number,
  nonnegative: boolean,
): { value: number; slope: Float64Array } {
  const { rows: n, cols: d } = X;
  const h = Float64Array.from({ length: d }, (_, j) => (nonnegative ? z[j] : z[j] + z[d + j]));
  const g = Float64Array.from(h, (v) => (factor / n) * Math.pow(v, power));
  const { values, vectors } = symmetricEigen(weightedGram(X, g), n);
  const v = vectors.subarray((n - 1) * n, n * n);
  const slope = new Float64Array(z.length);
  for (let j = 0; j < d; j++) {
    let xv = 0;
    for (let i = 0; i < n; i++) xv += X.data[i * d + j] * v[i];
    // ∂/∂h_j of (c/n) h_j^p (x_jᵀv)²
    const s =
      power === 1 ? (factor / n) * xv * xv : (factor / n) * power * Math.pow(h[j], power - 1) * xv * xv;
    slope[j] = s;
    if (!nonnegative) slope[d + j] = s;
  }
  return { value: values[n - 1], slope };
}
