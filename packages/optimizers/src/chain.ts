import type { GradientTransform } from './transform';

/**
 * Chains transforms left to right, as optax's `chain`: the updates leaving one enter the next; the state is
 * the array of the members' states, in order. `chain(traceMomentum(0.9), scaleByLearningRate())` is heavy-ball
 * momentum.
 */
export function chain(...transforms: GradientTransform<any>[]): GradientTransform<unknown[]> {
  return {
    init: (theta) => transforms.map((t) => t.init(theta)),
    update(updates, state, context) {
      const next: unknown[] = [];
      let u = updates;
      transforms.forEach((t, i) => {
        const r = t.update(u, state[i], context);
        u = r.updates;
        next.push(r.state);
      });
      return { updates: u, state: next };
    },
  };
}
