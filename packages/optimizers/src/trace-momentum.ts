import type { GradientTransform } from './transform';

/** State of `traceMomentum`: the running trace m. */
export interface TraceState {
  readonly trace: Float64Array;
}

/**
 * Heavy-ball momentum as a trace of past updates: m⁺ = βm + u, output m⁺ (Polyak 1964). Followed by
 * `scaleByLearningRate()` it gives θ⁺ = θ − η m⁺, which for a constant η is θ⁺ = θ − η∇L(θ) + β(θ − θ⁻).
 * With β = 0 the output is the input, bit for bit.
 */
export function traceMomentum(beta: number): GradientTransform<TraceState> {
  return {
    init: (theta) => ({ trace: new Float64Array(theta.length) }),
    update(updates, state) {
      const m = new Float64Array(updates.length);
      // m⁺ = β m + u
      for (let i = 0; i < updates.length; i++) m[i] = beta * state.trace[i] + updates[i];
      return { updates: m, state: { trace: m } };
    },
  };
}
