export { gradientGraph, hvpGraph } from './gradient-graph';
export type { DiffOptions } from './gradient-graph';
export { supportedOps, findRule, ruleFor, VJP_RULES } from './rule-table';
export type { VjpRule, VjpContext, LazyGrad, RuleSample, SampleInput } from './rule';
export { Emitter } from './emitter';
export { pruneGraph } from './prune';
export { planReverse, reverseAccumulate, unbroadcast } from './reverse';
export type { ReversePlan } from './reverse';
