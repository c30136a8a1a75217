import { BiaslabError } from '@biaslab/core';
import type { Rng } from '@biaslab/core';
import type { LinearOperator } from './linear-operator';
import { reorthogonalizedStep } from './lanczos-step';
import { symmetricTridiagonalEigen } from './tridiagonal-eigen';
import { axpy, dot, scaleInPlace } from './vector-ops';


/** Options of {@link lanczos}. */
export interface LanczosOptions {
  /** Largest Krylov dimension (HVPs before the final residual check); capped at n. Default 100. */
  readonly maxIter?: number;
  /** Stop when every wanted Ritz pair has β_k·|y_k| ≤ tol·|θ₁| (θ₁ the largest-|θ| Ritz value). Default 1e-10. */
  readonly tol?: number;
  /** Seeded source of the random start vector (used when `start` is absent or zero). */
  readonly rng?: Rng;
  /** Warm-start vector (e.g. the previous top eigenvector along a trajectory); normalised internally. */
  readonly start?: Float64Array;
  /** How many Ritz pairs of largest |θ| to return and converge. Default 1. */
  readonly k?: number;
  /**
   * Spend one more product on the true residual ‖Hx − θx‖ (default true); false reports the Lanczos estimate
   * β_m·|y_m| as the residual, which equals it in exact arithmetic with full reorthogonalisation.
   */
  readonly trueResidual?: boolean;
}

/** One Ritz pair: θ and its unit Ritz vector x = Q_m y. */
export interface RitzPair {
  /** Ritz value θ, with its sign. */
  readonly value: number;
  /** Unit Ritz vector. */
  readonly vector: Float64Array;
  /** The Lanczos residual estimate β_m·|y_m| (equal to ‖Hx − θx‖ in exact arithmetic). */
  readonly residualEstimate: number;
}

/** Why {@link lanczos} stopped. */
export type LanczosStop = 'tolerance' | 'krylov-dimension' | 'breakdown' | 'max-iter';

/** Result of {@link lanczos}: the Ritz pair of largest |θ| and how it was obtained. */
export interface LanczosResult {
  /** The Ritz value of largest magnitude, with its sign. */
  readonly value: number;
  /** Its unit Ritz vector. */
  readonly vector: Float64Array;
  /** The true residual ‖Hx − θx‖₂, computed with one extra product (the estimate with `trueResidual: false`). */
  readonly residual: number;
  /** The Lanczos estimate β_m·|y_m| of that residual. */
  readonly residualEstimate: number;
  /** Operator products used, including the residual check (Krylov dimension + 1; without it, the dimension). */
  readonly hvps: number;
  /** Krylov dimension m reached. */
  readonly iterations: number;
  /** True when stopped by the tolerance, by m = n, or by breakdown (an exactly invariant Krylov subspace). */
  readonly converged: boolean;
  readonly stop: LanczosStop;
  /** The smallest and largest Ritz values at the end (both ends of the spectrum are tracked). */
  readonly lowest: number;
  readonly highest: number;
  /**
   * The `k` Ritz pairs of largest |θ|, by decreasing |θ|; `pairs[0]` is the one above. Fewer when the Krylov
   * subspace broke down at a dimension below `k`.
   */
  readonly pairs: readonly RitzPair[];
}

/**
 * The eigenvalue of largest magnitude (with its sign) of a symmetric operator of order n, by the Lanczos method
 * (Lanczos 1950) with full reorthogonalisation (Golub & Van Loan, Matrix Computations, 4th ed., §10.1–10.3).
 *
 * With q₁ the normalised start vector, step j computes w = H q_j, α_j = q_jᵀw,
 * w ← w − α_j q_j − β_{j−1} q_{j−1}, then orthogonalises w against every previous q_i by classical
 * Gram–Schmidt applied twice ("twice is enough", Giraud et al. 2005), β_j = ‖w‖, q_{j+1} = w/β_j. The Ritz
 * values are the eigenvalues of the tridiagonal T_j = tridiag(β, α, β); both ends are tracked and the largest
 * |θ| wins, so a negative dominant eigenvalue is found with its sign. Cohen et al. 2021 use this estimator for
 * sharpness at the Edge of Stability.
 *
 * Stops when β_j·|y_j| ≤ tol·|θ| (y the eigenvector of T_j for θ), when the Krylov dimension reaches n (exact
 * in exact arithmetic), when β_j vanishes (the Krylov subspace is invariant, so its Ritz values are exact
 * eigenvalues of H), or at `maxIter`. Then one extra product gives the true residual ‖Hx − θx‖.
 * Memory: m + 1 vectors of length n.
 */
export async function lanczos(
  hvp: LinearOperator,
  n: number,
  options: LanczosOptions = {},
): Promise<LanczosResult> {
  const maxIter = options.maxIter ?? 100;
  const tol = options.tol ?? 1e-10;
  const wanted = options.k ?? 1;
  validate(n, maxIter, tol, wanted);
  const mMax = Math.min(maxIter, n);

  const basis: Float64Array[] = [startVector(n, options)];
  const alphas: number[] = [];
  const betas: number[] = [];
  let hvps = 0;
  let anorm = 0;
  let stop: LanczosStop = 'max-iter';

  for (let j = 0; ; j++) {
    const q = basis[j];
    const w = await apply(hvp, q, n);
    hvps++;
    const alpha = reorthogonalizedStep(basis, j, w, j > 0 ? betas[j - 1] : 0);
    alphas.push(alpha);
    const beta = Math.sqrt(dot(w, w));
    const m = j + 1;

    const eig = symmetricTridiagonalEigen(alphas, betas);
    const picked = largestMagnitude(eig.values, Math.min(wanted, m));
    const theta1 = Math.abs(eig.values[picked[0]]);
    anorm = Math.max(anorm, theta1, Math.abs(alpha), beta);
    const allConverged = picked.every((i) => beta * Math.abs(eig.lastComponents[i]) <= tol * theta1);

    if (allConverged && m >= wanted) stop = 'tolerance';
    else if (m === n) stop = 'krylov-dimension';
    else if (beta <= 1e3 * Number.EPSILON * anorm) stop = 'breakdown';
    else if (m >= mMax) stop = 'max-iter';
    else {
      betas.push(beta);
      scaleInPlace(1 / beta, w);
      basis.push(w);
      continue;
    }
    betas.push(beta);
    return finish(
      hvp,
      n,
      basis,
      alphas,
      betas,
      Math.min(wanted, m),
      stop,
      hvps,
      options.trueResidual ?? true,
    );
  }
}

async function finish(
  hvp: LinearOperator,
  n: number,
  basis: readonly Float64Array[],
  alphas: readonly number[],
  betas: readonly number[],
  wanted: number,
  stop: LanczosStop,
  hvpsSoFar: number,
  trueResidual: boolean,
): Promise<LanczosResult> {
  const m = alphas.length;
  const eig = symmetricTridiagonalEigen(alphas, betas.slice(0, m - 1), { vectors: true });
  const vectors = eig.vectors as Float64Array;
  const lastBeta = betas[m - 1];
  const pairs: RitzPair[] = largestMagnitude(eig.values, wanted).map((idx) => {
    // x = Q_m y
    const x = new Float64Array(n);
    for (let i = 0; i < m; i++) axpy(vectors[idx * m + i], basis[i], x);
    scaleInPlace(1 / Math.sqrt(dot(x, x)), x);
    return {
      value: eig.values[idx],
      vector: x,
      residualEstimate: lastBeta * Math.abs(vectors[idx * m + m - 1]),
    };
  });
  const top = pairs[0];
  let residual = top.residualEstimate;
  if (trueResidual) {
    // r = H x − θ x
    const r = await apply(hvp, top.vector, n);
    axpy(-top.value, top.vector, r);
    residual = Math.sqrt(dot(r, r));
  }
  return {
    value: top.value,
    vector: top.vector,
    residual,
    residualEstimate: top.residualEstimate,
    hvps: hvpsSoFar + (trueResidual ? 1 : 0),
    iterations: m,
    converged: stop !== 'max-iter',
    stop,
    lowest: eig.values[0],
    highest: eig.values[m - 1],
    pairs,
  };
}

/** Indices of the `count` entries of the ascending `values` with largest magnitude, by decreasing |value|. */
function largestMagnitude(values: Float64Array, count: number): number[] {
  const out: number[] = [];
  let lo = 0;
  let hi = values.length - 1;
  while (out.length < count && lo <= hi) {
    if (Math.abs(values[hi]) >= Math.abs(values[lo])) out.push(hi--);
    else out.push(lo++);
  }
  return out;
}

function startVector(n: number, options: LanczosOptions): Float64Array {
  let v: Float64Array | undefined;
  if (options.start) {
    if (options.start.length !== n) {
      throw new BiaslabError(
        'SHAPE',
        `Lanczos warm-start vector has \`${options.start.length}\` entries; expected \`${n}\`. Pass a vector of the operator's order or omit \`start\`.`,
      );
    }
    const norm = Math.sqrt(dot(options.start, options.start));
    if (Number.isFinite(norm) && norm > 0) v = Float64Array.from(options.start, (x) => x / norm);
  }
  if (!v) {
    if (!options.rng) {
      throw new BiaslabError(
        'INVALID_OPTIONS',
        'Lanczos needs a start: pass `rng` (a seeded Rng) for a random start vector, or a non-zero finite `start` vector.',
      );
    }
    v = options.rng.normals(n);
    scaleInPlace(1 / Math.sqrt(dot(v, v)), v);
  }
  return v;
}

async function apply(hvp: LinearOperator, v: Float64Array, n: number): Promise<Float64Array> {
  // The operator may keep or reuse what it receives: hand it a copy, and copy what it returns.
  const out = Float64Array.from(await hvp(Float64Array.from(v)));
  if (out.length !== n) {
    throw new BiaslabError(
      'SHAPE',
      `The operator returned \`${out.length}\` entries for a vector of \`${n}\`; a Hessian-vector product must keep the length.`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(out[i])) {
      throw new BiaslabError(
        'RUNTIME',
        `The Hessian-vector product has a non-finite entry \`${out[i]}\` at index ${i}; expected finite numbers. ` +
          'The parameters have probably diverged: check the loss before estimating sharpness.',
        { index: i },
      );
    }
  }
  return out;
}

function validate(n: number, maxIter: number, tol: number, k: number): void {
  const bad = (what: string): never => {
    throw new BiaslabError('INVALID_OPTIONS', `Lanczos: ${what}`, { n, maxIter, tol, k });
  };
  if (!Number.isInteger(n) || n < 1) bad(`the order \`n\` must be a positive integer, received \`${n}\`.`);
  if (!Number.isInteger(maxIter) || maxIter < 1)
    bad(`\`maxIter\` must be a positive integer, received \`${maxIter}\`.`);
  if (!(tol >= 0)) bad(`\`tol\` must be a number ≥ 0, received \`${tol}\`.`);
  if (!Number.isInteger(k) || k < 1 || k > Math.min(n, maxIter)) {
    bad(`\`k\` must be an integer in 1..min(n, maxIter) = 1..${Math.min(n, maxIter)}, received \`${k}\`.`);
  }
}
