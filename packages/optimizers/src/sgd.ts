import { BiaslabError, defineOptimizer, z } from '@biaslab/core';
import type { Optimizer, Oracle } from '@biaslab/core';
import { commonOptionsShape, withCommonOptions } from './common-options';
import { checkEta, checkGradient } from './gradient-optimizer';
import { MinibatchSampler, initialSamplerState } from './minibatch-sampler';
import type { SamplerState } from './minibatch-sampler';
import { traceMomentum } from './trace-momentum';
import type { TraceState } from './trace-momentum';
import { applyUpdates } from './transform';

/** Options of `optimizer/sgd`. */
export const sgdOptions = z
  .object({
    batchSize: z
      .number()
      .int()
      .positive()
      .default(32)
      .describe('B: samples per minibatch (B ≥ n is full batch)'),
    replacement: z
      .boolean()
      .default(false)
      .describe('false: shuffle every epoch and cut it into batches; true: draw each batch i.i.d. uniformly'),
    momentum: z
      .number()
      .min(0)
      .lt(1)
      .default(0)
      .describe('β of heavy-ball momentum on the minibatch gradient'),
    ...commonOptionsShape,
  })
  .strict()
  .describe('Minibatch stochastic gradient descent (Robbins & Monro 1951)');

export type SgdOptions = z.infer<typeof sgdOptions>;

/** State of `optimizer/sgd`: where the sampler is, and the momentum trace. */
export interface SgdState {
  readonly sampler: SamplerState;
  readonly momentum: TraceState;
}

/**
 * Minibatch SGD (Robbins & Monro 1951): θ⁺ = θ − ηₜ m⁺, m⁺ = βm + g_B, g_B = clip_c(∇L_B(θ)) + λθ with L_B the
 * loss on a seeded minibatch B (drawn from the step's rng). With B = n (and no replacement) it is `gd` (with
 * momentum β: `momentum`). The step does not report L(θ): its gradient is not the full-batch one.
 */
export function sgd(options: SgdOptions): Optimizer<SgdState> {
  const sampler = new MinibatchSampler(options.batchSize, options.replacement);
  const transform = withCommonOptions(traceMomentum(options.momentum), options);
  return {
    init: (theta) => ({ sampler: initialSamplerState, momentum: transform.init(theta) }),
    async step({ theta, state, eta, step, oracle, rng }) {
      checkEta(eta);
      const { minibatch, samples } = requireMinibatches(oracle);
      const batch = sampler.next(state.sampler, samples, rng);
      const { grad } = await minibatch(batch.indices).grad(theta);
      checkGradient(grad, theta);
      const result = transform.update(grad, state.momentum, { eta, theta, step });
      return {
        theta: applyUpdates(theta, result.updates),
        state: { sampler: batch.state, momentum: result.state },
      };
    },
  };
}

function requireMinibatches(oracle: Oracle): {
  minibatch: (indices: readonly number[]) => Oracle;
  samples: number;
} {
  if (typeof oracle.minibatch !== 'function' || !(typeof oracle.samples === 'number' && oracle.samples > 0)) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      '`optimizer/sgd` needs an objective that evaluates minibatches (`oracle.minibatch(indices)` and ' +
        `\`oracle.samples\`), received one with minibatch ${typeof oracle.minibatch} and samples ` +
        `\`${String(oracle.samples)}\`. Use the training objective of @biaslab/runtime, or \`optimizer/gd\`.`,
      { hasMinibatch: typeof oracle.minibatch === 'function', samples: oracle.samples },
    );
  }
  return { minibatch: (indices) => oracle.minibatch!(indices), samples: oracle.samples };
}

/** The `optimizer/sgd` component. */
export const sgdOptimizer = defineOptimizer<SgdOptions>({
  name: 'sgd',
  summary: 'Minibatch SGD θ⁺ = θ − η ∇L_B(θ) with seeded batches (optional momentum)',
  description:
    'θ⁺ = θ − η m⁺, m⁺ = βm + ∇L_B(θ), B a minibatch of `batchSize` rows: a fresh seeded shuffle per epoch, or ' +
    'i.i.d. draws with `replacement` (Robbins & Monro 1951). Needs an objective with minibatch access. ' +
    'Does not report L(θ).',
  options: sgdOptions,
  create: (options) => sgd(options),
});
