import { BiaslabError, defineOptimizer, z } from '@biaslab/core';
import type { Optimizer } from '@biaslab/core';

/** Options of `optimizer/lion`. η comes from the run (the sweep's learning rate), not from here. */
export const lionOptions = z
  .object({
    beta1: z
      .number()
      .min(0)
      .max(1)
      .default(0.9)
      .describe('β₁: weight of the momentum in the update direction'),
    beta2: z.number().min(0).max(1).default(0.99).describe('β₂: decay of the momentum m'),
    weightDecay: z.number().min(0).default(0).describe('λ: decoupled weight decay, θ⁺ = θ − η(u + λθ)'),
  })
  .strict()
  .describe('Lion: sign of an interpolated momentum (Chen et al. 2023)');

export type LionOptions = z.infer<typeof lionOptions>;

/** Lion's state: the momentum m, one entry per parameter. */
export interface LionState {
  readonly m: Float64Array;
}

/**
 * The Lion optimizer ("EvoLved Sign Momentum", Chen et al. 2023, "Symbolic Discovery of Optimization
 * Algorithms"). With g = ∇L(θ):
 *
 *   u  = sign(β₁·m + (1 − β₁)·g)
 *   θ⁺ = θ − η·(u + λ·θ)
 *   m⁺ = β₂·m + (1 − β₂)·g
 *
 * Every coordinate moves by exactly η (plus decay), so the step size does not shrink with the gradient: on a
 * quadratic Lion ends in an oscillation of amplitude ≈ η around the minimum rather than converging exactly.
 */
export function lion(options: LionOptions): Optimizer<LionState> {
  const { beta1, beta2, weightDecay } = options;
  return {
    init: (theta) => ({ m: new Float64Array(theta.length) }),
    async step({ theta, state, eta, oracle }) {
      const { loss, grad } = await oracle.grad(theta);
      if (grad.length !== theta.length) {
        throw new BiaslabError(
          'SHAPE',
          `optimizer/lion received a gradient of length \`${grad.length}\` for θ of length \`${theta.length}\`; ` +
            'the oracle must return ∇L over the whole flat θ.',
        );
      }
      const next = new Float64Array(theta.length);
      const m = new Float64Array(theta.length);
      let squares = 0;
      for (let i = 0; i < theta.length; i++) {
        const g = grad[i];
        squares += g * g;
        // u = sign(β₁m + (1−β₁)g); θ⁺ = θ − η(u + λθ)
        const u = Math.sign(beta1 * state.m[i] + (1 - beta1) * g);
        next[i] = theta[i] - eta * (u + weightDecay * theta[i]);
        // m⁺ = β₂m + (1−β₂)g
        m[i] = beta2 * state.m[i] + (1 - beta2) * g;
      }
      return { theta: next, state: { m }, loss, gradNorm: Math.sqrt(squares) };
    },
  };
}

/** `optimizer/lion`, the component this plugin provides. */
export const lionOptimizer = defineOptimizer<LionOptions>({
  name: 'lion',
  summary: 'Lion: θ⁺ = θ − η(sign(β₁m + (1−β₁)g) + λθ) (Chen et al. 2023)',
  description:
    'u = sign(β₁m + (1−β₁)g), θ⁺ = θ − η(u + λθ), m⁺ = β₂m + (1−β₂)g with g = ∇L(θ) on the full batch. ' +
    'Every coordinate moves by ±η, so a run ends oscillating at amplitude ≈ η; use a small η or a schedule. ' +
    'Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms".',
  options: lionOptions,
  create: (options) => lion(options),
});
