import { BiaslabError, defineOptimizer, z } from '@biaslab/core';
import type { Oracle, OracleTargets } from '@biaslab/core';
import { commonOptionsShape, withCommonOptions } from './common-options';
import { gradientOptimizer } from './gradient-optimizer';
import type { GradientEvaluator } from './gradient-optimizer';
import { identity } from './identity';

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

/** The objective's targets, when it has them and they are regression values: what label noise perturbs. */
function regressionTargets(oracle: Oracle): OracleTargets {
  const { targets } = oracle;
  if (!targets) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      '`optimizer/label-noise-gd` needs an objective that evaluates the loss against other targets ' +
        '(`oracle.targets`); this objective has none. Use an objective from @biaslab/runtime, or `optimizer/gd`.',
    );
  }
  if (targets.loss !== 'mse') {
    throw new BiaslabError(
      'INVALID_CONFIG',
      `Label noise perturbs regression targets y + ξ; the loss is \`${targets.loss}\`. Use \`loss: mse\`.`,
    );
  }
  return targets;
}

function noisyTargetGradient(options: LabelNoiseGdOptions): GradientEvaluator {
  return async ({ theta, oracle, rng }) => {
    const targets = regressionTargets(oracle);
    // y + ξ with ξᵢ ~ N(0, σ²) or ±σ, one draw per target entry in row-major order.
    const noisy = targets.values.map(
      (y) => y + options.sigma * (options.distribution === 'gaussian' ? rng.normal() : rng.sign()),
    );
    const { grad } = await targets.grad(theta, noisy);
    return { grad };
  };
}

/**
 * Label-noise gradient descent (Blanc, Gupta, Valiant & Valiant 2020; Damian, Ma & Lee 2021): each step draws
 * fresh target noise ξ (seeded by the step's rng) and takes θ⁺ = θ − ηₜ ∇L_ξ(θ), L_ξ the MSE loss with targets
 * y + ξ, i.e. θ⁺ = θ − ηₜ(∇L(θ) − (1/n) Σᵢ J_iᵀξᵢ). The method is here; the objective only evaluates the
 * loss against the targets it is given (`Oracle.targets`). MSE only; the step does not report L(θ).
 */
export const labelNoiseGdOptimizer = defineOptimizer<LabelNoiseGdOptions>({
  name: 'label-noise-gd',
  summary: 'GD on targets perturbed by fresh seeded noise each step: θ⁺ = θ − η ∇L_ξ(θ)',
  description:
    'Each step draws ξ (Gaussian σ or ±σ) and takes θ⁺ = θ − η ∇L_ξ(θ) with L_ξ the MSE loss on targets y + ξ, ' +
    'i.e. ∇L(θ) − (1/n)Σ J_iᵀξᵢ (Blanc et al. 2020; Damian et al. 2021). Needs an MSE objective with ' +
    '`targets`.',
  options: labelNoiseGdOptions,
  create: (options) =>
    gradientOptimizer(withCommonOptions(identity(), options), noisyTargetGradient(options)),
});
