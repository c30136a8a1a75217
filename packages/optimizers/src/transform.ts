import { BiaslabError } from '@biaslab/core';

/** What a transform sees besides the incoming updates. */
export interface TransformContext {
  /** The learning rate η of this step. */
  readonly eta: number;
  /** The parameters the step starts from. */
  readonly theta: Float64Array;
  /** 0-based step index. */
  readonly step: number;
}

/**
 * A gradient transformation, as in optax: a pair of pure functions. `init` makes the state from θ₀; `update`
 * maps incoming updates (at first the gradient ∇L(θ)) to outgoing ones and returns the next state. Neither
 * mutates its arguments, so a caller may keep old states and retry a step. Optimizers are built from these.
 */
export interface GradientTransform<S> {
  init(theta: Float64Array): S;
  update(updates: Float64Array, state: S, context: TransformContext): { updates: Float64Array; state: S };
}

/** The state of a transform that keeps none. */
export type EmptyState = Record<string, never>;

/** θ + u as a new array (the inputs are left untouched). */
export function applyUpdates(theta: Float64Array, updates: Float64Array): Float64Array {
  if (updates.length !== theta.length) {
    throw new BiaslabError(
      'SHAPE',
      `An update has ${updates.length} entries but θ has ${theta.length}; the objective and the model's parameter layout disagree.`,
      { expected: theta.length, received: updates.length },
    );
  }
  const next = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) next[i] = theta[i] + updates[i];
  return next;
}
