import type { GradientTransform } from './transform';

/** State of `scaleByRms`: the running mean of squared gradients and the number of updates taken. */
export interface RmsState {
  readonly nu: Float64Array;
  readonly count: number;
}

/**
 * RMSprop's rescaling (Tieleman & Hinton 2012, Coursera lecture 6.5): v⁺ = ρv + (1 − ρ)g², output
 * g / (√v⁺ + ε). v starts at 0 and is not bias-corrected, as in PyTorch's `RMSprop`.
 */
export function scaleByRms(decay: number, eps: number): GradientTransform<RmsState> {
  return {
    init: (theta) => ({ nu: new Float64Array(theta.length), count: 0 }),
    update(g, state) {
      const n = g.length;
      const nu = new Float64Array(n);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        // v⁺ = ρv + (1 − ρ)g²
        nu[i] = decay * state.nu[i] + (1 - decay) * g[i] * g[i];
        // g / (√v⁺ + ε)
        out[i] = g[i] / (Math.sqrt(nu[i]) + eps);
      }
      return { updates: out, state: { nu, count: state.count + 1 } };
    },
  };
}

/** RMSprop's diagonal preconditioner P⁻¹ = 1/(√v + ε) from the current state; undefined before the first update. */
export function rmsPreconditioner(state: RmsState, eps: number): Float64Array | undefined {
  if (state.count === 0) return undefined;
  const p = new Float64Array(state.nu.length);
  for (let i = 0; i < p.length; i++) p[i] = 1 / (Math.sqrt(state.nu[i]) + eps);
  return p;
}
