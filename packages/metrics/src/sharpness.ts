import { defineMetric, memoryKey } from '@biaslab/core';
import type { MetricContext } from '@biaslab/core';
import { eigenKeys, eigenOptionsSchema, topEigenpairs } from './top-eigenpairs';
import type { EigenOptions, EigenVectors } from './top-eigenpairs';
import { checkedTrainedIndices, trainedOperator } from './trained-operator';

/**
 * Where the sharpness metric keeps the last top-k eigenvectors (a `Float64Array[]`, by decreasing |λ|) in
 * `MetricContext.memory`, for warm starts along a run.
 */
export const SHARPNESS_MEMORY_KEY = memoryKey<EigenVectors>('@biaslab/metrics/sharpness/top-eigenvector');

/** The record kept under {@link SHARPNESS_LAST_KEY}. */
export interface SharpnessRecord {
  readonly step: number;
  readonly theta: Float64Array;
  readonly sharpness: number;
  readonly hvps: number;
}

/**
 * Where the sharpness metric records its last value, `{ step, theta, sharpness, hvps }` (θ copied), so that
 * `stability` at the same iterate can reuse it instead of repeating the eigensolve.
 */
export const SHARPNESS_LAST_KEY = memoryKey<SharpnessRecord>('@biaslab/metrics/sharpness/last');

const sharpnessOptions = eigenOptionsSchema('the Hessian ∇²L(θ)');

/** Options of the `sharpness` metric. */
export type SharpnessOptions = EigenOptions;

/**
 * Sharpness S(θ) = ‖∇²L(θ)‖₂ = max |λ(∇²L(θ))| of the full-batch training loss over the trained parameters
 * (metric `sharpness`), with the signed eigenvalue, the k eigenvalues of largest magnitude, the true residual
 * ‖Hv − λv‖₂, the HVPs used and the stability ratio S·η/2 (above 1: GD with step η is unstable along the top
 * eigenvector; Cohen et al. 2021). Lanczos with full reorthogonalisation (Lanczos 1950; Golub & Van Loan
 * §10.3), warm-started from the previous eigenvectors of the run; power iteration with a spectral shift; or the
 * exact dense Hessian for small models.
 */
export const sharpnessMetric = defineMetric<SharpnessOptions>({
  name: 'sharpness',
  summary: 'Top |eigenvalues| of the training-loss Hessian, signs, residual, HVPs and S·η/2.',
  description:
    'sharpness = max |λ(∇²L(θ))| over the trained parameters; sharpness.lambda = that eigenvalue with its sign; ' +
    'sharpness.lambda.i = the i-th largest-magnitude eigenvalue (i = 1..k); sharpness.residual = ‖Hv − λv‖₂; ' +
    'sharpness.hvps = Hessian-vector products used; sharpness.converged = 1 or 0; sharpness.stability = S·η/2. ' +
    'Lanczos with full reorthogonalisation (Lanczos 1950; Golub & Van Loan), power iteration (von Mises 1929) ' +
    'with a shift for the other end, or the exact dense Hessian for small models.',
  options: sharpnessOptions,
  needs: ['hvp'],
  provides: 'sharpness',
  create: (options) => ({
    compute: (context) => computeSharpness(options, context),
  }),
});

/** The sharpness keys at `context.theta` (shared with the `stability` metric). */
export async function computeSharpness(
  options: SharpnessOptions,
  context: MetricContext,
): Promise<Record<string, number>> {
  const indices = checkedTrainedIndices(context, 'sharpness');
  if (!context.theta.every(Number.isFinite)) {
    // A diverged run: nothing to measure, and the stop rule labels the run.
    return eigenKeys('sharpness', undefined, options.k, context.eta);
  }
  const operator = trainedOperator((t, v) => context.train.hvp(t, v), context.theta, indices);
  const solution = await topEigenpairs(operator, options, context, {
    metric: 'sharpness',
    memoryKey: SHARPNESS_MEMORY_KEY,
    rngLabel: '@biaslab/metrics/sharpness',
  });
  const keys = eigenKeys('sharpness', solution, options.k, context.eta);
  const record: SharpnessRecord = {
    step: context.step,
    theta: Float64Array.from(context.theta),
    sharpness: keys.sharpness,
    hvps: solution.hvps,
  };
  context.memory.set(SHARPNESS_LAST_KEY, record);
  return keys;
}
