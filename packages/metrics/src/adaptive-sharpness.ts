import { defineMetric, z, memoryKey } from '@biaslab/core';
import { eigenKeys, eigenOptionsSchema, topEigenpairs } from './top-eigenpairs';
import type { EigenVectors } from './top-eigenpairs';
import { checkedTrainedIndices, trainedOperator } from './trained-operator';

/** Where `adaptive-sharpness` keeps its last eigenvectors in `MetricContext.memory`. */
export const ADAPTIVE_SHARPNESS_MEMORY_KEY = memoryKey<EigenVectors>(
  '@biaslab/metrics/adaptive-sharpness/eigenvectors',
);

const adaptiveOptions = eigenOptionsSchema('diag(|θ| + ξ) ∇²L(θ) diag(|θ| + ξ)').extend({
  xi: z
    .number()
    .nonnegative()
    .default(0)
    .describe(
      'ξ ≥ 0 added to |θᵢ| in the normalisation T = diag(|θ| + ξ) (Kwon et al.’s η; 0 = exactly scale-invariant).',
    ),
});

/** Options of the `adaptive-sharpness` metric. */
export type AdaptiveSharpnessOptions = z.infer<typeof adaptiveOptions>;

/**
 * Adaptive (scale-invariant) sharpness (metric `adaptive-sharpness`), after Kwon, Kim, Park & Choi 2021 (ASAM):
 * their adaptive sharpness max_{‖T_θ⁻¹ε‖₂ ≤ ρ} L(θ + ε) − L(θ) with T_θ = diag(|θ| + ξ) is, to second order at a
 * critical point, (ρ²/2)·λ_max(T_θ H T_θ). biaslab reports the eigenvalue of largest magnitude of
 * T H T = diag(|θ| + ξ) ∇²L(θ) diag(|θ| + ξ) over the trained parameters, with its sign (equal to λ_max where H
 * is PSD). With ξ = 0 it is invariant under the rescalings θ ↦ c⊙θ (c > 0) that leave the loss unchanged, e.g.
 * (u, v) ↦ (cu, v/c) in a product uv: there H ↦ C⁻¹HC⁻¹ and T ↦ CT, so THT is unchanged. No `.stability`:
 * THT has the units of L, not of 1/η.
 */
export const adaptiveSharpnessMetric = defineMetric<AdaptiveSharpnessOptions>({
  name: 'adaptive-sharpness',
  summary: 'Scale-invariant sharpness λ(diag(|θ|) H diag(|θ|)) (Kwon et al. 2021).',
  description:
    'adaptive-sharpness = max |λ(T ∇²L(θ) T)|, T = diag(|θ| + ξ) over the trained parameters (Kwon et al. 2021, ASAM: ' +
    'adaptive sharpness ≈ (ρ²/2)·λ_max(THT)); .lambda signed; .lambda.i, .residual, .hvps, .converged as for sharpness.',
  options: adaptiveOptions,
  needs: ['hvp'],
  create: (options) => ({
    async compute(context) {
      const indices = checkedTrainedIndices(context, 'adaptive-sharpness');
      if (!context.theta.every(Number.isFinite)) return eigenKeys('adaptive-sharpness', undefined, options.k);
      const t = Float64Array.from(indices, (index) => Math.abs(context.theta[index]) + options.xi);
      const operator = trainedOperator((th, v) => context.train.hvp(th, v), context.theta, indices, t);
      const solution = await topEigenpairs(operator, options, context, {
        metric: 'adaptive-sharpness',
        memoryKey: ADAPTIVE_SHARPNESS_MEMORY_KEY,
        rngLabel: '@biaslab/metrics/adaptive-sharpness',
      });
      return eigenKeys('adaptive-sharpness', solution, options.k);
    },
  }),
});
