import { z } from '@biaslab/core';
import { addWeightDecay } from './add-weight-decay';
import { clipByGlobalNorm } from './clip-by-global-norm';
import { scaleByLearningRate } from './scale-by-learning-rate';
import { scaleBySchedule, scheduleFactor, scheduleOptions } from './schedule';
import type { GradientTransform } from './transform';

/**
 * Options every optimizer of this package accepts, with the same meaning everywhere. Spread into each
 * optimizer's schema, so `{ weightDecay, clipNorm, schedule }` work on `gd`, `adam`, `sam`, `flow`, ….
 */
export const commonOptionsShape = {
  weightDecay: z
    .number()
    .min(0)
    .default(0)
    .describe('λ of coupled ℓ2 regularisation: the gradient becomes g + λθ (the gradient of L + λ/2·‖θ‖²)'),
  clipNorm: z
    .number()
    .positive()
    .optional()
    .describe('c: rescale the (minibatch) gradient to global ℓ2 norm at most c before anything else'),
  schedule: scheduleOptions
    .default({ kind: 'constant' })
    .describe(
      'Learning-rate schedule: step t uses η·s(t); kinds constant, linear-warmup, cosine, step-decay',
    ),
};

const commonOptions = z.object(commonOptionsShape).strict();
export type CommonOptions = z.infer<typeof commonOptions>;

/**
 * The transform applied to the raw gradient g before an optimizer's own transform: clip to norm c, then add
 * λθ, i.e. g ↦ clip_c(g) + λθ.
 */
export function preconditionGradient(options: CommonOptions): GradientTransform<Record<string, never>> {
  const clip = options.clipNorm === undefined ? undefined : clipByGlobalNorm(options.clipNorm);
  const decay = addWeightDecay(options.weightDecay);
  return {
    init: () => ({}),
    update(g, state, context) {
      const clipped = clip ? clip.update(g, {}, context).updates : g;
      return { updates: decay.update(clipped, {}, context).updates, state };
    },
  };
}

/**
 * An optimizer's own transform `core` wrapped in the common options:
 * u = −η·s(t)·core(clip_c(g) + λθ). The state is the core's state (the common transforms keep none).
 */
export function withCommonOptions<S>(
  core: GradientTransform<S>,
  options: CommonOptions,
): GradientTransform<S> {
  const pre = preconditionGradient(options);
  const schedule = scaleBySchedule(options.schedule);
  const scale = scaleByLearningRate();
  return {
    init: (theta) => core.init(theta),
    update(g, state, context) {
      const inner = core.update(pre.update(g, {}, context).updates, state, context);
      const scheduled = schedule.update(inner.updates, {}, context).updates;
      return { updates: scale.update(scheduled, {}, context).updates, state: inner.state };
    },
  };
}

/** ηₜ = η·s(t): the learning rate step t uses under the options' schedule. */
export function scheduledEta(eta: number, step: number, options: CommonOptions): number {
  return eta * scheduleFactor(options.schedule, step);
}
