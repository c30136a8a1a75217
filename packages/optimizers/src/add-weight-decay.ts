import type { EmptyState, GradientTransform } from './transform';

/**
 * Adds λθ to the incoming updates: u ↦ u + λθ. Placed on the raw gradient it is coupled ℓ2 regularisation,
 * the gradient of L(θ) + (λ/2)‖θ‖²; placed after an adaptive transform (Adam) it is decoupled weight decay
 * (Loshchilov & Hutter 2019). θ is the parameter vector the step starts from.
 */
export function addWeightDecay(lambda: number): GradientTransform<EmptyState> {
  return {
    init: () => ({}),
    update(updates, state, { theta }) {
      if (lambda === 0) return { updates, state };
      const out = new Float64Array(updates.length);
      // u ← u + λθ
      for (let i = 0; i < updates.length; i++) out[i] = updates[i] + lambda * theta[i];
      return { updates: out, state };
    },
  };
}
