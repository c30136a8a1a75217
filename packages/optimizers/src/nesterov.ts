import { defineOptimizer, z } from '@biaslab/core';
import type { Optimizer } from '@biaslab/core';
import { commonOptionsShape, preconditionGradient, scheduledEta } from './common-options';
import { checkEta, checkGradient } from './gradient-optimizer';
import { applyUpdates } from './transform';

/** Options of `optimizer/nesterov`. */
export const nesterovOptions = z
  .object({
    momentum: z.number().min(0).lt(1).default(0.9).describe('μ: momentum coefficient, 0 ≤ μ < 1'),
    ...commonOptionsShape,
  })
  .strict()
  .describe('Nesterov momentum in the look-ahead form of Sutskever et al. 2013');

export type NesterovOptions = z.infer<typeof nesterovOptions>;

/** State of `optimizer/nesterov`: the velocity v (a step in parameter units, η included). */
export interface NesterovState {
  readonly velocity: Float64Array;
}

/**
 * Nesterov's accelerated gradient in the look-ahead form of Sutskever, Martens, Dahl & Hinton 2013 (eqs. 3–4):
 * v⁺ = μv − ηₜ g(θ + μv), θ⁺ = θ + v⁺, where g(φ) = clip_c(∇L(φ)) + λφ is the gradient at the look-ahead
 * point. The gradient is not taken at θ, so the step reports neither L(θ) nor ‖∇L(θ)‖.
 */
export function nesterov(options: NesterovOptions): Optimizer<NesterovState> {
  const pre = preconditionGradient(options);
  const mu = options.momentum;
  return {
    init: (theta) => ({ velocity: new Float64Array(theta.length) }),
    async step({ theta, state, eta, step, oracle }) {
      checkEta(eta);
      const n = theta.length;
      const lookAhead = new Float64Array(n);
      // φ = θ + μv
      for (let i = 0; i < n; i++) lookAhead[i] = theta[i] + mu * state.velocity[i];
      const { grad } = await oracle.grad(lookAhead);
      checkGradient(grad, theta);
      const g = pre.update(grad, {}, { eta, theta: lookAhead, step }).updates;
      const etaT = scheduledEta(eta, step, options);
      const velocity = new Float64Array(n);
      // v⁺ = μv − ηₜ g(φ)
      for (let i = 0; i < n; i++) velocity[i] = mu * state.velocity[i] - etaT * g[i];
      return { theta: applyUpdates(theta, velocity), state: { velocity } };
    },
  };
}

/** The `optimizer/nesterov` component. */
export const nesterovOptimizer = defineOptimizer<NesterovOptions>({
  name: 'nesterov',
  summary: 'Nesterov momentum, look-ahead form: v⁺ = μv − η∇L(θ + μv), θ⁺ = θ + v⁺',
  description:
    'v⁺ = μv − η ∇L(θ + μv), θ⁺ = θ + v⁺ (Sutskever et al. 2013, eqs. 3–4; Nesterov 1983). The gradient is ' +
    'evaluated at the look-ahead point, so L(θ) is not reported by the step. State: the velocity v.',
  options: nesterovOptions,
  create: (options) => nesterov(options),
});
