import { defineOptimizer, z } from '@biaslab/core';
import { commonOptionsShape, withCommonOptions } from './common-options';
import { gradientOptimizer } from './gradient-optimizer';
import { identity } from './identity';

/** Options of `optimizer/gd`: only the common ones (η comes from the run). */
export const gdOptions = z
  .object({ ...commonOptionsShape })
  .strict()
  .describe('Full-batch gradient descent; η is set per run');

export type GdOptions = z.infer<typeof gdOptions>;

/**
 * Full-batch gradient descent, θ⁺ = θ − ηₜ(∇L(θ) + λθ) (Cauchy 1847), with the common options (clipping,
 * coupled weight decay λ, schedule ηₜ = η·s(t)). On a quadratic with curvature λ_max it converges iff
 * η < 2/λ_max, the stability threshold that sharpness is compared with (Cohen et al. 2021).
 */
export const gdOptimizer = defineOptimizer<GdOptions>({
  name: 'gd',
  summary: 'Full-batch gradient descent θ⁺ = θ − η ∇L(θ)',
  description:
    'θ⁺ = θ − η ∇L(θ) with the gradient of the full training loss. Stateless. Stable on a quadratic of curvature λ ' +
    'iff η < 2/λ (Cauchy 1847; Cohen et al. 2021 for the Edge of Stability).',
  options: gdOptions,
  create: (options) => ({
    ...gradientOptimizer(withCommonOptions(identity(), options)),
    plainGradientDescent:
      !options.weightDecay &&
      options.clipNorm === undefined &&
      (options.schedule ?? { kind: 'constant' }).kind === 'constant',
  }),
});
