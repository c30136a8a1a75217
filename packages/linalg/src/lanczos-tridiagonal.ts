import { BiaslabError } from '@biaslab/core';
import type { LinearOperator } from './linear-operator';
import { reorthogonalizedStep } from './lanczos-step';
import { dot } from './vector-ops';

/** The Lanczos tridiagonal T_m = tridiag(β, α, β) of an operator from one start vector. */
export interface LanczosTridiagonal {
  /** Diagonal α₁..α_m. */
  readonly alpha: Float64Array;
  /** Off-diagonal β₁..β_{m−1}. */
  readonly beta: Float64Array;
  /** Products used (= m). */
  readonly hvps: number;
}

/**
 * `steps` Lanczos steps (Lanczos 1950) from the unit vector `start/‖start‖`, with full reorthogonalisation by
 * classical Gram–Schmidt applied twice, returning only the tridiagonal T_m. Stops early when m reaches n or the
 * Krylov subspace becomes invariant (β_j ≈ 0), since T_m is then exact. This is the inner loop of stochastic
 * Lanczos quadrature, where the first components of T_m's eigenvectors are the quadrature weights.
 */
export async function lanczosTridiagonal(
  hvp: LinearOperator,
  n: number,
  start: Float64Array,
  steps: number,
): Promise<LanczosTridiagonal> {
  if (start.length !== n || !Number.isInteger(steps) || steps < 1) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `lanczosTridiagonal: expected a start vector of \`${n}\` entries and \`steps\` ≥ 1, received \`${start.length}\` and \`${steps}\`.`,
    );
  }
  const norm0 = Math.sqrt(dot(start, start));
  if (!(norm0 > 0) || !Number.isFinite(norm0)) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      'lanczosTridiagonal: the start vector must be non-zero and finite.',
    );
  }
  const basis: Float64Array[] = [Float64Array.from(start, (x) => x / norm0)];
  const alpha: number[] = [];
  const beta: number[] = [];
  let anorm = 0;
  const mMax = Math.min(steps, n);
  for (let j = 0; j < mMax; j++) {
    const q = basis[j];
    const w = await hvp(q);
    if (w.length !== n || !w.every(Number.isFinite)) {
      throw new BiaslabError(
        'RUNTIME',
        `lanczosTridiagonal: the operator returned ${w.length !== n ? `\`${w.length}\` entries for \`${n}\`` : 'a non-finite entry'}; ` +
          'expected a finite vector of the same length. Check that θ has not diverged.',
      );
    }
    const a = reorthogonalizedStep(basis, j, w, j > 0 ? beta[j - 1] : 0);
    alpha.push(a);
    const b = Math.sqrt(dot(w, w));
    anorm = Math.max(anorm, Math.abs(a), b);
    if (j + 1 === mMax || b <= 1e3 * Number.EPSILON * anorm) break;
    beta.push(b);
    basis.push(w.map((x) => x / b));
  }
  return { alpha: Float64Array.from(alpha), beta: Float64Array.from(beta), hvps: alpha.length };
}
