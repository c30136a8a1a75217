export { gradientGraph, hvpGraph } from './gradient-graph';
export type { DiffOptions } from './gradient-graph';
export { OPS, VJP_RULES, supportedOps, findRule, ruleFor, ruleCovers } from './op-registry';
export type { OpSet } from './op-registry';
export { defineOp } from './op-definition';
export type {
  OpDefinition,
  OpSpec,
  VjpRuleSpec,
  Float64Support,
  Float64Lowering,
  Float64Emit,
} from './op-definition';
export type { VjpRule, VjpContext, LazyGrad, RuleSample, SampleInput } from './rule';
export { sampleConstant } from './rule';
export { Emitter } from './emitter';
export { batchNormTraining } from './ops/BatchNormalization';
export type { BatchNormTrainingOptions } from './ops/BatchNormalization';
export { pruneGraph } from './prune';
export { planReverse, reverseAccumulate, unbroadcast } from './reverse';
export type { ReversePlan } from './reverse';
export { lowerForFloat64, float64Blockers, missingFloat64Kernel } from './lower-float64';
export type { Float64Blocker } from './lower-float64';
export { jvpGraph, forwardOverReverseHvpGraph } from './jvp';
export type { JvpOptions } from './jvp';
export { ggnvpGraph } from './ggn-graph';
export type { GgnOptions } from './ggn-graph';
