import { BiaslabError } from '@biaslab/core';
import type { Rng } from '@biaslab/core';
import type { LinearOperator } from './linear-operator';

/** Options of {@link powerIteration} and {@link signedPowerIteration}. */
export interface PowerIterationOptions {
  /** Largest number of products per run. Default 1000. */
  readonly maxIter?: number;
  /** Stop when ‖Hv − ρv‖₂ ≤ tol·|ρ − σ| (σ the shift). Default 1e-6. */
  readonly tol?: number;
  /** Seeded source of the random start vector (used when `start` is absent or zero). */
  readonly rng?: Rng;
  /** Warm-start vector, normalised internally. */
  readonly start?: Float64Array;
  /** Iterate with H − σI instead of H; the result is still an eigenvalue estimate of H. Default 0. */
  readonly shift?: number;
  /**
   * What a non-finite product does: `'throw'` (default) a `BiaslabError` `RUNTIME`; `'nan'` ends the run with
   * `value`, `residual` and `norm` NaN, for callers that step along a trajectory which may diverge and let their
   * own stop rule label it.
   */
  readonly onNonFinite?: 'throw' | 'nan';
}

/** Result of one power iteration run. */
export interface PowerIterationResult {
  /** Rayleigh quotient ρ = vᵀHv of the last unit iterate v (an eigenvalue estimate of H, shift undone). */
  readonly value: number;
  /** The unit iterate v. */
  readonly vector: Float64Array;
  /** True residual ‖Hv − ρv‖₂; some eigenvalue of H lies within it of ρ (Krylov–Weinstein bound). */
  readonly residual: number;
  /**
   * ‖(H − σI)v‖₂ of the last product: a lower bound on the largest |eigenvalue| of H − σI that tends to it,
   * also when the two ends of the spectrum have equal magnitude and ρ oscillates between them.
   */
  readonly norm: number;
  /** Products used. */
  readonly hvps: number;
  readonly converged: boolean;
}

/**
 * The dominant eigenpair of (H − σI) by power iteration (von Mises & Pollaczek-Geiringer 1929):
 * v ← (H − σI)v / ‖(H − σI)v‖. Every product w = Hv gives the Rayleigh quotient ρ = vᵀw and the true residual
 * ‖w − ρv‖₂ of the current unit v for free, so the stopping test ‖Hv − ρv‖ ≤ tol·|ρ − σ| and the reported
 * residual are exact. Converges at the rate |μ₂/μ₁| of the two largest |eigenvalues| of H − σI; when the two
 * ends of the spectrum of H − σI have equal magnitude it does not converge (see {@link signedPowerIteration}).
 */
export async function powerIteration(
  hvp: LinearOperator,
  n: number,
  options: PowerIterationOptions = {},
): Promise<PowerIterationResult> {
  const maxIter = options.maxIter ?? 1000;
  const tol = options.tol ?? 1e-6;
  const shift = options.shift ?? 0;
  if (!Number.isInteger(n) || n < 1) bad(`the order \`n\` must be a positive integer, received \`${n}\`.`);
  if (!Number.isInteger(maxIter) || maxIter < 1)
    bad(`\`maxIter\` must be a positive integer, received \`${maxIter}\`.`);
  if (!(tol >= 0)) bad(`\`tol\` must be a number ≥ 0, received \`${tol}\`.`);
  if (!Number.isFinite(shift)) bad(`\`shift\` must be finite, received \`${shift}\`.`);
  let v = startVector(n, options);
  let value = Number.NaN;
  let residual = Number.NaN;
  for (let it = 1; ; it++) {
    const hv = await hvp(v);
    if (hv.length === n && options.onNonFinite === 'nan' && !hv.every(Number.isFinite)) {
      return { value: Number.NaN, vector: v, residual: Number.NaN, norm: Number.NaN, hvps: it, converged: false };
    }
    if (hv.length !== n || !hv.every(Number.isFinite)) {
      throw new BiaslabError(
        'RUNTIME',
        `Power iteration: the operator returned ${hv.length !== n ? `\`${hv.length}\` entries for \`${n}\`` : 'a non-finite entry'}; ` +
          'expected a finite vector of the same length. Check that θ has not diverged.',
      );
    }
    // w = (H − σI)v, ρ_σ = vᵀw, r = w − ρ_σ v = Hv − (ρ_σ + σ)v
    let rho = 0;
    for (let i = 0; i < n; i++) {
      hv[i] -= shift * v[i];
      rho += v[i] * hv[i];
    }
    let rr = 0;
    let ww = 0;
    for (let i = 0; i < n; i++) {
      rr += (hv[i] - rho * v[i]) ** 2;
      ww += hv[i] * hv[i];
    }
    value = rho + shift;
    residual = Math.sqrt(rr);
    const converged = residual <= tol * Math.abs(rho);
    if (converged || it >= maxIter || ww === 0) {
      return { value, vector: v, residual, norm: Math.sqrt(ww), hvps: it, converged: converged || ww === 0 };
    }
    const norm = Math.sqrt(ww);
    v = Float64Array.from(hv, (x) => x / norm);
  }
}

/** Result of {@link signedPowerIteration}: the dominant eigenpair and both ends of the spectrum. */
export interface SignedPowerResult extends PowerIterationResult {
  /** Smallest and largest eigenvalue estimates found (equal when only one end was computed). */
  readonly lowest: number;
  readonly highest: number;
  /** Power iteration runs made (1 to 3). */
  readonly runs: number;
}

/**
 * The eigenvalue of H of largest magnitude, with its sign, by power iteration with a spectral shift.
 * Run A on H gives ρ_A. If `bothEnds` (default) or A did not converge, run B on H − ρ_A·I converges to the end
 * of the spectrum farthest from ρ_A, i.e. the other end. If A did not converge (the two ends of H have nearly
 * equal magnitude, so the iterate oscillates and ρ_A is an interior value), run C on H − ρ_B·I gives the end
 * opposite to ρ_B. The answer is the end of largest |λ|; its residual is its own run's. A warm start applies to
 * run A only (the other runs look for a different eigenvector and start from the seeded random vector).
 */
export async function signedPowerIteration(
  hvp: LinearOperator,
  n: number,
  options: Omit<PowerIterationOptions, 'shift' | 'onNonFinite'> & { readonly bothEnds?: boolean } = {},
): Promise<SignedPowerResult> {
  const { bothEnds = true, ...rest } = options;
  const a = await powerIteration(hvp, n, rest);
  if (a.converged && !bothEnds) return { ...a, lowest: a.value, highest: a.value, runs: 1 };
  const fresh = { ...rest, start: undefined };
  const b = await powerIteration(hvp, n, { ...fresh, shift: a.value });
  let ends: PowerIterationResult[] = [a, b];
  let runs = 2;
  if (!a.converged) {
    const c = await powerIteration(hvp, n, { ...fresh, shift: b.value });
    ends = [b, c];
    runs = 3;
  }
  const [first, second] = ends;
  const dominant = Math.abs(second.value) > Math.abs(first.value) ? second : first;
  return {
    ...dominant,
    hvps: a.hvps + b.hvps + (runs === 3 ? ends[1].hvps : 0),
    converged: first.converged && second.converged,
    lowest: Math.min(first.value, second.value),
    highest: Math.max(first.value, second.value),
    runs,
  };
}

function startVector(n: number, options: PowerIterationOptions): Float64Array {
  if (options.start) {
    if (options.start.length !== n) {
      throw new BiaslabError(
        'SHAPE',
        `Power iteration warm-start vector has \`${options.start.length}\` entries; expected \`${n}\`. Pass a vector of the operator's order or omit \`start\`.`,
      );
    }
    let ss = 0;
    for (const x of options.start) ss += x * x;
    const norm = Math.sqrt(ss);
    if (Number.isFinite(norm) && norm > 0) return Float64Array.from(options.start, (x) => x / norm);
  }
  if (!options.rng) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      'Power iteration needs a start: pass `rng` (a seeded Rng) for a random start vector, or a non-zero finite `start` vector.',
    );
  }
  const v = options.rng.normals(n);
  let ss = 0;
  for (const x of v) ss += x * x;
  const norm = Math.sqrt(ss);
  for (let i = 0; i < n; i++) v[i] /= norm;
  return v;
}

function bad(what: string): never {
  throw new BiaslabError('INVALID_OPTIONS', `Power iteration: ${what}`);
}
