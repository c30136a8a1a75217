import type { EmptyState, GradientTransform } from './transform';

/**
 * Scales the incoming updates by the step's learning rate with a minus sign: u ↦ −η·u. Chained last, it
 * turns a descent direction into a step; alone, applied to ∇L(θ), it is gradient descent.
 */
export function scaleByLearningRate(): GradientTransform<EmptyState> {
  return {
    init: () => ({}),
    update(updates, state, { eta }) {
      const out = new Float64Array(updates.length);
      // u ← −η u
      for (let i = 0; i < updates.length; i++) out[i] = -eta * updates[i];
      return { updates: out, state };
    },
  };
}
