import { defineOptimizer, z } from '@biaslab/core';
import { commonOptionsShape, withCommonOptions } from './common-options';
import { gradientOptimizer } from './gradient-optimizer';
import { traceMomentum } from './trace-momentum';

/** Options of `optimizer/momentum`. */
export const momentumOptions = z
  .object({
    momentum: z.number().min(0).lt(1).default(0.9).describe('β: weight of the previous step, 0 ≤ β < 1'),
    ...commonOptionsShape,
  })
  .strict()
  .describe('Heavy-ball momentum (Polyak 1964)');

export type MomentumOptions = z.infer<typeof momentumOptions>;

/**
 * Heavy-ball momentum (Polyak 1964): m⁺ = βm + ∇L(θ), θ⁺ = θ − η m⁺, i.e. for a constant η
 * θ⁺ = θ − η∇L(θ) + β(θ − θ⁻). On a quadratic it is stable for η < 2(1 + β)/λ_max. With β = 0 it is `gd`,
 * bit for bit.
 */
export const momentumOptimizer = defineOptimizer<MomentumOptions>({
  name: 'momentum',
  summary: 'Heavy-ball momentum m⁺ = βm + ∇L(θ), θ⁺ = θ − η m⁺',
  description:
    'm⁺ = βm + ∇L(θ), θ⁺ = θ − η m⁺ (Polyak 1964); for constant η, θ⁺ = θ − η∇L(θ) + β(θ − θ⁻). ' +
    'Stable on a quadratic iff η < 2(1 + β)/λ_max. State: the trace m.',
  options: momentumOptions,
  create: (options) => gradientOptimizer(withCommonOptions(traceMomentum(options.momentum), options)),
});
