import { BiaslabError } from '@biaslab/core';
import type { Optimizer, Oracle, Rng } from '@biaslab/core';
import { l2NormTwoPass as l2Norm } from '@biaslab/linalg';
import { applyUpdates } from './transform';
import type { GradientTransform } from './transform';

/** The gradient a step feeds into its transform, and what it learnt about L(θ) on the way. */
export interface GradientEvaluation {
  readonly grad: Float64Array;
  /** L(θ) on the full batch at the step's θ, when computed. */
  readonly loss?: number;
  /** ‖∇L(θ)‖₂ on the full batch at the step's θ, when computed. */
  readonly gradNorm?: number;
}

/** How a step obtains its gradient (full batch, at a perturbed point, with noisy targets, …). Stateless. */
export type GradientEvaluator = (input: {
  readonly theta: Float64Array;
  readonly oracle: Oracle;
  readonly rng: Rng;
  readonly step: number;
}) => Promise<GradientEvaluation>;

/** The full-batch gradient ∇L(θ), reporting L(θ) and ‖∇L(θ)‖₂. */
export const fullBatchGradient: GradientEvaluator = async ({ theta, oracle }) => {
  const { loss, grad } = await oracle.grad(theta);
  checkGradient(grad, theta);
  return { grad, loss, gradNorm: l2Norm(grad) };
};

/**
 * A first-order optimizer from a gradient transform: each step evaluates a gradient (by default ∇L(θ) on the
 * full batch), passes it through `transform` and adds the result to θ: θ⁺ = θ + transform(g). Reports L(θ)
 * and ‖∇L(θ)‖₂ at the θ the step started from when the evaluator computed them.
 */
export function gradientOptimizer<S>(
  transform: GradientTransform<S>,
  evaluate: GradientEvaluator = fullBatchGradient,
  preconditioner?: (state: S) => Float64Array | undefined,
): Optimizer<S> {
  return {
    init: (theta) => transform.init(theta),
    async step({ theta, state, eta, step, oracle, rng }) {
      checkEta(eta);
      const evaluation = await evaluate({ theta, oracle, rng, step });
      checkGradient(evaluation.grad, theta);
      const result = transform.update(evaluation.grad, state, { eta, theta, step });
      return {
        theta: applyUpdates(theta, result.updates),
        state: result.state,
        ...(evaluation.loss !== undefined ? { loss: evaluation.loss } : {}),
        ...(evaluation.gradNorm !== undefined ? { gradNorm: evaluation.gradNorm } : {}),
      };
    },
    ...(preconditioner ? { preconditioner } : {}),
  };
}

/** Refuses a learning rate that is not a positive finite number. */
export function checkEta(eta: number): void {
  if (!(Number.isFinite(eta) && eta > 0)) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      `The learning rate must be a positive finite number, received \`${eta}\`. Check the run's \`eta\` (or the sweep grid).`,
      { eta },
    );
  }
}

/** Refuses a gradient whose length is not θ's. */
export function checkGradient(grad: Float64Array, theta: Float64Array): void {
  if (grad.length !== theta.length) {
    throw new BiaslabError(
      'SHAPE',
      `The objective returned a gradient of ${grad.length} entries for θ of ${theta.length}; check that the ` +
        'objective was built for this model.',
      { expected: theta.length, received: grad.length },
    );
  }
}
