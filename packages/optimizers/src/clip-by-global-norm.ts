import { l2NormTwoPass as l2Norm } from '@biaslab/linalg';
import type { EmptyState, GradientTransform } from './transform';

/**
 * Rescales the updates so their global ℓ2 norm is at most c: u ↦ u · min(1, c/‖u‖₂) (Pascanu, Mikolov &
 * Bengio 2013). The direction is kept; updates already inside the ball pass unchanged.
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransform<EmptyState> {
  return {
    init: () => ({}),
    update(updates, state) {
      const norm = l2Norm(updates);
      if (!(norm > maxNorm)) return { updates, state };
      const factor = maxNorm / norm;
      const out = new Float64Array(updates.length);
      // u ← u · c/‖u‖
      for (let i = 0; i < updates.length; i++) out[i] = updates[i] * factor;
      return { updates: out, state };
    },
  };
}
