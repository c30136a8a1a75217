import { BiaslabError, defineOptimizer, z } from '@biaslab/core';
import type { Oracle } from '@biaslab/core';
import { commonOptionsShape, withCommonOptions } from './common-options';
import { gradientOptimizer } from './gradient-optimizer';
import type { GradientEvaluator } from './gradient-optimizer';
import { identity } from './identity';

/**
 * An Oracle that can perturb its targets: L_ξ(θ) = (1/n) Σᵢ ½‖f(xᵢ) − (yᵢ + ξᵢ)‖², whose gradient is
 * ∇L(θ) − (1/n) Σᵢ J_iᵀξᵢ (`noise` row-major [n, outputs], `targetSize` = n·outputs). The runtime's MSE
 * objectives provide both members.
 */
export type TargetNoiseOracle = Oracle & Required<Pick<Oracle, 'targetSize' | 'gradWithTargetNoise'>>;

/** Options of `optimizer/label-noise-gd`. */
export const labelNoiseGdOptions = z
  .object({
    sigma: z
      .number()
      .min(0)
      .default(0.1)
      .describe('σ: scale of the noise added to every training target each step'),
    distribution: z
      .enum(['gaussian', 'rademacher'])
      .default('gaussian')
      .describe('ξ ~ N(0, σ²) (Blanc et al. 2020) or ξ = ±σ with equal probability (Damian et al. 2021)'),
    ...commonOptionsShape,
  })
  .strict()
  .describe('Gradient descent on freshly perturbed targets every step (MSE objectives only)');

export type LabelNoiseGdOptions = z.infer<typeof labelNoiseGdOptions>;

function isTargetNoiseOracle(oracle: Oracle): oracle is TargetNoiseOracle {
  const o = oracle as Partial<TargetNoiseOracle>;
  return typeof o.gradWithTargetNoise === 'function' && typeof o.targetSize === 'number' && o.targetSize > 0;
}

function noisyTargetGradient(options: LabelNoiseGdOptions): GradientEvaluator {
  return async ({ theta, oracle, rng }) => {
    if (!isTargetNoiseOracle(oracle)) {
      throw new BiaslabError(
        'INVALID_CONFIG',
        '`optimizer/label-noise-gd` needs an objective that evaluates the gradient with perturbed targets ' +
          '(`oracle.gradWithTargetNoise(theta, noise)` and `oracle.targetSize`); this objective has none. Use an ' +
          'MSE objective that provides them, or `optimizer/gd`.',
        { hasHook: typeof (oracle as Partial<TargetNoiseOracle>).gradWithTargetNoise === 'function' },
      );
    }
    const noise = new Float64Array(oracle.targetSize);
    for (let i = 0; i < noise.length; i++) {
      noise[i] = options.sigma * (options.distribution === 'gaussian' ? rng.normal() : rng.sign());
    }
    const { grad } = await oracle.gradWithTargetNoise(theta, noise);
    return { grad };
  };
}

/**
 * Label-noise gradient descent (Blanc, Gupta, Valiant & Valiant 2020; Damian, Ma & Lee 2021): each step draws
 * fresh target noise ξ (seeded by the step's rng) and takes θ⁺ = θ − ηₜ ∇L_ξ(θ), L_ξ the MSE loss with targets
 * y + ξ, i.e. θ⁺ = θ − ηₜ(∇L(θ) − (1/n) Σᵢ J_iᵀξᵢ). Needs a `TargetNoiseOracle`; the step does not report L(θ).
 */
export const labelNoiseGdOptimizer = defineOptimizer<LabelNoiseGdOptions>({
  name: 'label-noise-gd',
  summary: 'GD on targets perturbed by fresh seeded noise each step: θ⁺ = θ − η ∇L_ξ(θ)',
  description:
    'Each step draws ξ (Gaussian σ or ±σ) and takes θ⁺ = θ − η ∇L_ξ(θ) with L_ξ the MSE loss on targets y + ξ, ' +
    'i.e. ∇L(θ) − (1/n)Σ J_iᵀξᵢ (Blanc et al. 2020; Damian et al. 2021). Needs an objective with ' +
    '`gradWithTargetNoise`.',
  options: labelNoiseGdOptions,
  create: (options) =>
    gradientOptimizer(withCommonOptions(identity(), options), noisyTargetGradient(options)),
});
