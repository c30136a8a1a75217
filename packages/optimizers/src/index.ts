import { API_VERSION, definePlugin } from '@biaslab/core';
import { adamOptimizer, adamwOptimizer } from './adam';
import { flowOptimizer } from './flow';
import { gdOptimizer } from './gd';
import { labelNoiseGdOptimizer } from './label-noise-gd';
import { momentumOptimizer } from './momentum';
import { nesterovOptimizer } from './nesterov';
import { rmspropOptimizer } from './rmsprop';
import { asamOptimizer, samOptimizer } from './sam';
import { sgdOptimizer } from './sgd';

export { gdOptimizer, gdOptions } from './gd';
export type { GdOptions } from './gd';
export { momentumOptimizer, momentumOptions } from './momentum';
export type { MomentumOptions } from './momentum';
export { nesterov, nesterovOptimizer, nesterovOptions } from './nesterov';
export type { NesterovOptions, NesterovState } from './nesterov';
export { sgd, sgdOptimizer, sgdOptions } from './sgd';
export type { SgdOptions, SgdState } from './sgd';
export { adamOptimizer, adamOptions, adamwOptimizer, adamwOptions } from './adam';
export type { AdamOptions, AdamwOptions } from './adam';
export { rmspropOptimizer, rmspropOptions } from './rmsprop';
export type { RmspropOptions } from './rmsprop';
export { samOptimizer, samOptions, asamOptimizer, asamOptions } from './sam';
export type { SamOptions, AsamOptions } from './sam';
export { labelNoiseGdOptimizer, labelNoiseGdOptions } from './label-noise-gd';
export type { LabelNoiseGdOptions } from './label-noise-gd';
export { flow, flowOptimizer, flowOptions } from './flow';
export type { FlowOptions, FlowState } from './flow';

export { commonOptionsShape, preconditionGradient, scheduledEta, withCommonOptions } from './common-options';
export type { CommonOptions } from './common-options';
export { scheduleOptions, scheduleFactor, scaleBySchedule } from './schedule';
export type { Schedule } from './schedule';
export { gradientOptimizer, fullBatchGradient } from './gradient-optimizer';
export type { GradientEvaluation, GradientEvaluator } from './gradient-optimizer';
export { chain } from './chain';
export { identity } from './identity';
export { scaleByLearningRate } from './scale-by-learning-rate';
export { addWeightDecay } from './add-weight-decay';
export { clipByGlobalNorm } from './clip-by-global-norm';
export { traceMomentum } from './trace-momentum';
export type { TraceState } from './trace-momentum';
export { scaleByAdam, adamPreconditioner } from './scale-by-adam';
export type { AdamHyper, AdamState } from './scale-by-adam';
export { scaleByRms, rmsPreconditioner } from './scale-by-rms';
export type { RmsState } from './scale-by-rms';
export { MinibatchSampler, initialSamplerState } from './minibatch-sampler';
export type { SamplerState } from './minibatch-sampler';
export { applyUpdates } from './transform';
export type { EmptyState, GradientTransform, TransformContext } from './transform';

/**
 * The built-in optimizers: `gd`, `momentum`, `nesterov`, `sgd`, `adam`, `adamw`, `rmsprop`, `sam`, `asam`,
 * `label-noise-gd`, `flow`. Every one accepts the common options `weightDecay`, `clipNorm` and `schedule`.
 */
export const optimizersPlugin = definePlugin({
  name: '@biaslab/optimizers',
  apiVersion: API_VERSION,
  components: [
    gdOptimizer,
    momentumOptimizer,
    nesterovOptimizer,
    sgdOptimizer,
    adamOptimizer,
    adamwOptimizer,
    rmspropOptimizer,
    samOptimizer,
    asamOptimizer,
    labelNoiseGdOptimizer,
    flowOptimizer,
  ],
});
