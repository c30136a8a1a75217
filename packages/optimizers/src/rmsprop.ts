import { defineOptimizer, z } from '@biaslab/core';
import { commonOptionsShape, withCommonOptions } from './common-options';
import { gradientOptimizer } from './gradient-optimizer';
import { rmsPreconditioner, scaleByRms } from './scale-by-rms';

/** Options of `optimizer/rmsprop`. */
export const rmspropOptions = z
  .object({
    decay: z.number().min(0).lt(1).default(0.9).describe('ρ: decay of the running mean of g²'),
    eps: z.number().min(0).default(1e-8).describe('ε added to √v in the denominator'),
    ...commonOptionsShape,
  })
  .strict()
  .describe('RMSprop (Tieleman & Hinton 2012)');

export type RmspropOptions = z.infer<typeof rmspropOptions>;

/**
 * RMSprop (Tieleman & Hinton 2012): v⁺ = ρv + (1 − ρ)g², θ⁺ = θ − ηₜ g/(√v⁺ + ε), g = clip_c(∇L(θ)) + λθ.
 * Preconditioner P⁻¹ = 1/(√v + ε).
 */
export const rmspropOptimizer = defineOptimizer<RmspropOptions>({
  name: 'rmsprop',
  summary: 'RMSprop: v⁺ = ρv + (1 − ρ)g², θ⁺ = θ − η g/(√v⁺ + ε)',
  description:
    'v⁺ = ρv + (1 − ρ)g², θ⁺ = θ − η g/(√v⁺ + ε), v₀ = 0, no bias correction (Tieleman & Hinton 2012, lecture 6.5; ' +
    'as PyTorch). Preconditioner P⁻¹ = 1/(√v + ε).',
  options: rmspropOptions,
  create: (options) =>
    gradientOptimizer(
      withCommonOptions(scaleByRms(options.decay, options.eps), options),
      undefined,
      (state) => rmsPreconditioner(state, options.eps),
    ),
});
