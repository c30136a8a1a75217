import { BiaslabError, defineMetric, memoryKey } from '@biaslab/core';
import { eigenKeys, eigenOptionsSchema, topEigenpairs } from './top-eigenpairs';
import type { EigenVectors } from './top-eigenpairs';
import type { EigenOptions } from './top-eigenpairs';
import { checkedTrainedIndices, trainedOperator } from './trained-operator';

/** Where `effective-sharpness` keeps its last eigenvectors in `MetricContext.memory`. */
export const EFFECTIVE_SHARPNESS_MEMORY_KEY = memoryKey<EigenVectors>(
  '@biaslab/metrics/effective-sharpness/eigenvectors',
);

/** Options of the `effective-sharpness` metric. */
export type EffectiveSharpnessOptions = EigenOptions;

/**
 * Preconditioned ("effective") sharpness of an adaptive optimizer (metric `effective-sharpness`): the eigenvalue
 * of largest magnitude of P⁻¹H, with H = ∇²L(θ) over the trained parameters and P⁻¹ = diag(d) the diagonal
 * preconditioner of the optimizer's next step (`context.preconditioner`). P⁻¹H is not symmetric, but it is
 * similar to D H D with D = diag(√d) (P⁻¹H = D (D H D) D⁻¹), which is, so the symmetric solvers apply to
 * v ↦ D H D v. Preconditioned GD θ⁺ = θ − ηP⁻¹∇L is stable along an eigenvector iff λ(P⁻¹H) < 2/η, hence
 * `.stability` = S·η/2; with momentum β₁ the threshold is (2 + 2β₁)/((1 − β₁)η), 38/η for Adam's β₁ = 0.9
 * (Cohen et al. 2022, "Adaptive gradient methods at the edge of stability").
 */
export const effectiveSharpnessMetric = defineMetric<EffectiveSharpnessOptions>({
  name: 'effective-sharpness',
  summary: 'Preconditioned sharpness λ(P⁻¹H) of adaptive optimizers, via the symmetric P^{-1/2} H P^{-1/2}.',
  description:
    'effective-sharpness = max |λ(P⁻¹∇²L(θ))| = max |λ(P^{-1/2} ∇²L P^{-1/2})| with P⁻¹ the diagonal preconditioner ' +
    'of the optimizer (Cohen et al. 2022); .lambda signed; .lambda.i the k largest in magnitude; .residual, .hvps, ' +
    '.converged as for sharpness; .stability = S·η/2 (threshold of preconditioned GD without momentum).',
  options: eigenOptionsSchema('P^{-1/2} ∇²L(θ) P^{-1/2}'),
  needs: ['hvp'],
  create: (options) => ({
    async compute(context) {
      const indices = checkedTrainedIndices(context, 'effective-sharpness');
      const d = context.preconditioner;
      if (!d) {
        throw new BiaslabError(
          'INVALID_CONFIG',
          'Metric `metric/effective-sharpness` needs the optimizer’s diagonal preconditioner P⁻¹ (`MetricContext.preconditioner`), ' +
            'but the run provides none. Use it with an adaptive optimizer (adam, rmsprop, …) whose `preconditioner(state)` is defined, ' +
            'or use `metric/sharpness` for plain GD.',
        );
      }
      if (d.length !== context.theta.length) {
        throw new BiaslabError(
          'SHAPE',
          `Metric \`metric/effective-sharpness\`: the preconditioner has \`${d.length}\` entries; expected one per parameter (\`${context.theta.length}\`).`,
        );
      }
      if (!context.theta.every(Number.isFinite))
        return eigenKeys('effective-sharpness', undefined, options.k, context.eta);
      const sqrtD = Float64Array.from(indices, (index) => {
        const x = d[index];
        if (!(x >= 0) || !Number.isFinite(x)) {
          throw new BiaslabError(
            'INVALID_CONFIG',
            `Metric \`metric/effective-sharpness\`: preconditioner entry \`${x}\` at index ${index}; expected finite numbers ≥ 0 (P⁻¹ must be positive semi-definite).`,
          );
        }
        return Math.sqrt(x);
      });
      const operator = trainedOperator((t, v) => context.train.hvp(t, v), context.theta, indices, sqrtD);
      const solution = await topEigenpairs(operator, options, context, {
        metric: 'effective-sharpness',
        memoryKey: EFFECTIVE_SHARPNESS_MEMORY_KEY,
        rngLabel: '@biaslab/metrics/effective-sharpness',
      });
      return eigenKeys('effective-sharpness', solution, options.k, context.eta);
    },
  }),
});
