import type { GradientTransform } from './transform';

/** State of `scaleByAdam`: first and second moment estimates and the number of updates taken. */
export interface AdamState {
  readonly mu: Float64Array;
  readonly nu: Float64Array;
  readonly count: number;
}

/** Hyperparameters of `scaleByAdam`. */
export interface AdamHyper {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

/**
 * Adam's rescaling (Kingma & Ba 2015): with t the number of updates so far (t ≥ 1 after this one),
 * m⁺ = β₁m + (1 − β₁)g, v⁺ = β₂v + (1 − β₂)g², m̂ = m⁺/(1 − β₁ᵗ), v̂ = v⁺/(1 − β₂ᵗ), output m̂ / (√v̂ + ε).
 * The bias correction makes the first output g/(|g| + ε) ≈ sign(g).
 */
export function scaleByAdam({ beta1, beta2, eps }: AdamHyper): GradientTransform<AdamState> {
  return {
    init: (theta) => ({ mu: new Float64Array(theta.length), nu: new Float64Array(theta.length), count: 0 }),
    update(g, state) {
      const n = g.length;
      const mu = new Float64Array(n);
      const nu = new Float64Array(n);
      const out = new Float64Array(n);
      const count = state.count + 1;
      const c1 = 1 - beta1 ** count;
      const c2 = 1 - beta2 ** count;
      for (let i = 0; i < n; i++) {
        // m⁺ = β₁m + (1 − β₁)g,  v⁺ = β₂v + (1 − β₂)g²
        mu[i] = beta1 * state.mu[i] + (1 - beta1) * g[i];
        nu[i] = beta2 * state.nu[i] + (1 - beta2) * g[i] * g[i];
        // m̂ / (√v̂ + ε)
        out[i] = mu[i] / c1 / (Math.sqrt(nu[i] / c2) + eps);
      }
      return { updates: out, state: { mu, nu, count } };
    },
  };
}

/**
 * Adam's diagonal preconditioner after t updates, P⁻¹ = 1 / ((1 − β₁ᵗ)(√v̂ₜ + ε)), so that the step is
 * θ⁺ = θ − η P⁻¹ m (Cohen et al. 2022, "Adaptive gradient methods at the edge of stability"). Uses the state
 * the next step starts from; undefined before the first update (v = 0).
 */
export function adamPreconditioner(
  state: AdamState,
  { beta1, beta2, eps }: AdamHyper,
): Float64Array | undefined {
  if (state.count === 0) return undefined;
  const c1 = 1 - beta1 ** state.count;
  const c2 = 1 - beta2 ** state.count;
  const p = new Float64Array(state.nu.length);
  for (let i = 0; i < p.length; i++) p[i] = 1 / (c1 * (Math.sqrt(state.nu[i] / c2) + eps));
  return p;
}
