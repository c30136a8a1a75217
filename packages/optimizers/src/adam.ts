import { defineOptimizer, z } from '@biaslab/core';
import { addWeightDecay } from './add-weight-decay';
import { chain } from './chain';
import { commonOptionsShape, withCommonOptions } from './common-options';
import { gradientOptimizer } from './gradient-optimizer';
import { adamPreconditioner, scaleByAdam } from './scale-by-adam';
import type { AdamState } from './scale-by-adam';
import type { GradientTransform } from './transform';

const adamShape = {
  beta1: z.number().min(0).lt(1).default(0.9).describe('β₁: decay of the first-moment (mean) estimate'),
  beta2: z.number().min(0).lt(1).default(0.999).describe('β₂: decay of the second-moment estimate'),
  eps: z.number().min(0).default(1e-8).describe('ε added to √v̂ in the denominator'),
};

/** Options of `optimizer/adam`. */
export const adamOptions = z
  .object({ ...adamShape, ...commonOptionsShape })
  .strict()
  .describe('Adam (Kingma & Ba 2015)');

/** Options of `optimizer/adamw`. */
export const adamwOptions = z
  .object({
    ...adamShape,
    decoupledWeightDecay: z
      .number()
      .min(0)
      .default(0.01)
      .describe(
        'λ_d of decoupled weight decay: the step is −ηₜ(m̂/(√v̂ + ε) + λ_d θ), outside the preconditioner',
      ),
    ...commonOptionsShape,
  })
  .strict()
  .describe('AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019)');

export type AdamOptions = z.infer<typeof adamOptions>;
export type AdamwOptions = z.infer<typeof adamwOptions>;

/**
 * Adam (Kingma & Ba 2015): m⁺ = β₁m + (1 − β₁)g, v⁺ = β₂v + (1 − β₂)g², θ⁺ = θ − ηₜ m̂/(√v̂ + ε) with the bias
 * corrections m̂ = m⁺/(1 − β₁ᵗ), v̂ = v⁺/(1 − β₂ᵗ); g = clip_c(∇L(θ)) + λθ. Its first step is −η·sign(g) (up to ε).
 */
export const adamOptimizer = defineOptimizer<AdamOptions>({
  name: 'adam',
  summary: 'Adam: θ⁺ = θ − η m̂/(√v̂ + ε) with bias-corrected moments',
  description:
    'm⁺ = β₁m + (1 − β₁)g, v⁺ = β₂v + (1 − β₂)g², m̂ = m⁺/(1 − β₁ᵗ), v̂ = v⁺/(1 − β₂ᵗ), θ⁺ = θ − η m̂/(√v̂ + ε) ' +
    '(Kingma & Ba 2015). `weightDecay` is coupled (added to g before the moments); use adamw for decoupled decay. ' +
    'Preconditioner P⁻¹ = 1/((1 − β₁ᵗ)(√v̂ + ε)) (Cohen et al. 2022).',
  options: adamOptions,
  create: (options) =>
    gradientOptimizer(withCommonOptions(scaleByAdam(options), options), undefined, (state) =>
      adamPreconditioner(state, options),
    ),
});

/**
 * AdamW (Loshchilov & Hutter 2019): θ⁺ = θ − ηₜ(m̂/(√v̂ + ε) + λ_d θ) with Adam's moments of g. The decay is
 * scaled by ηₜ = η·s(t) as in PyTorch's `AdamW` and optax's `adamw` (the paper multiplies it by the schedule
 * factor s(t) only, so λ_paper = η·λ_d).
 */
export const adamwOptimizer = defineOptimizer<AdamwOptions>({
  name: 'adamw',
  summary: 'AdamW: θ⁺ = θ − η(m̂/(√v̂ + ε) + λ_d θ), decoupled weight decay',
  description:
    'Adam moments of g, then θ⁺ = θ − η(m̂/(√v̂ + ε) + λ_d θ) (Loshchilov & Hutter 2019), the decay scaled by η as ' +
    'in PyTorch and optax. Preconditioner as adam.',
  options: adamwOptions,
  create: (options) => {
    const adam = scaleByAdam(options);
    const decayed = chain(adam, addWeightDecay(options.decoupledWeightDecay));
    // The chain's state is [adamState, {}]; expose Adam's state alone so adam and adamw states look alike.
    const core: GradientTransform<AdamState> = {
      init: (theta) => adam.init(theta),
      update(g, state, context) {
        const r = decayed.update(g, [state, {}], context);
        return { updates: r.updates, state: r.state[0] as AdamState };
      },
    };
    return gradientOptimizer(withCommonOptions(core, options), undefined, (state) =>
      adamPreconditioner(state, options),
    );
  },
});
