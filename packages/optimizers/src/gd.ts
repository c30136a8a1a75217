import { defineOptimizer, z } from '@biaslab/core';
import { gradientOptimizer } from './gradient-optimizer';
import { scaleByLearningRate } from './scale-by-learning-rate';

/** Options of `optimizer/gd`: none (the learning rate comes from the run). */
export const gdOptions = z
  .object({})
  .strict()
  .describe('Full-batch gradient descent has no options; η is set per run');

export type GdOptions = z.infer<typeof gdOptions>;

/**
 * Full-batch gradient descent, θ⁺ = θ − η ∇L(θ) (Cauchy 1847). On a quadratic with curvature λ it converges
 * iff η < 2/λ, the stability threshold that sharpness is compared with (Cohen et al. 2021).
 */
export const gdOptimizer = defineOptimizer<GdOptions>({
  name: 'gd',
  summary: 'Full-batch gradient descent θ⁺ = θ − η ∇L(θ)',
  description:
    'θ⁺ = θ − η ∇L(θ) with the gradient of the full training loss. Stateless. Stable on a quadratic of curvature λ ' +
    'iff η < 2/λ (Cauchy 1847; Cohen et al. 2021 for the Edge of Stability).',
  options: gdOptions,
  create: () => gradientOptimizer(scaleByLearningRate()),
});
