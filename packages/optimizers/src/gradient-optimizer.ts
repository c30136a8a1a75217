import { BiaslabError } from '@biaslab/core';
import type { Optimizer } from '@biaslab/core';
import { applyUpdates } from './transform';
import type { GradientTransform } from './transform';

/**
 * A first-order optimizer from a gradient transform: each step evaluates L(θ) and ∇L(θ) on the full batch,
 * passes ∇L through `transform` and adds the result to θ (θ⁺ = θ + update(∇L(θ))). Reports L(θ) and ‖∇L(θ)‖₂ at
 * the θ the step started from.
 */
export function gradientOptimizer<S>(transform: GradientTransform<S>): Optimizer<S> {
  return {
    init: (theta) => transform.init(theta),
    async step({ theta, state, eta, step, oracle }) {
      if (!(Number.isFinite(eta) && eta > 0)) {
        throw new BiaslabError(
          'INVALID_CONFIG',
          `The learning rate must be a positive finite number, received \`${eta}\`. Check the run's \`eta\` (or the sweep grid).`,
          { eta },
        );
      }
      const { loss, grad } = await oracle.grad(theta);
      if (grad.length !== theta.length) {
        throw new BiaslabError(
          'SHAPE',
          `The objective returned a gradient of ${grad.length} entries for θ of ${theta.length}; check that the ` +
            'objective was built for this model.',
          { expected: theta.length, received: grad.length },
        );
      }
      const result = transform.update(grad, state, { eta, theta, step });
      return {
        theta: applyUpdates(theta, result.updates),
        state: result.state,
        loss,
        gradNorm: l2Norm(grad),
      };
    },
  };
}

/** ‖v‖₂, scaled to avoid overflow when entries are huge (a diverging run must report a finite norm as long as possible). */
function l2Norm(v: Float64Array): number {
  let scale = 0;
  for (const x of v) scale = Math.max(scale, Math.abs(x));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let sum = 0;
  for (const x of v) sum += (x / scale) ** 2;
  return scale * Math.sqrt(sum);
}
