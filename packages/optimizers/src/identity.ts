import type { EmptyState, GradientTransform } from './transform';

/** The transform that passes updates through unchanged (u ↦ u); the core of plain gradient descent. */
export function identity(): GradientTransform<EmptyState> {
  return {
    init: () => ({}),
    update: (updates, state) => ({ updates, state }),
  };
}
