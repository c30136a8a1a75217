export { BiaslabError, isBiaslabError } from './errors';
export type { ErrorCode } from './errors';
export { Rng } from './rng';
export { sizeOf, floatTensor, castFloatTensor, toFloat64 } from './tensor';
export type { DType, FloatDType, Tensor, TypedArrayOf } from './tensor';
export { ParamLayout } from './params';
export type { ParamSpec, ParamSlot } from './params';
export type { Graph, GraphNode, ValueInfo, Initializer, AttributeValue, Dim } from './graph-ir';
export {
  API_VERSION,
  COMPONENT_KINDS,
  LOSS_NORMALISATION,
  definePlugin,
  defineModel,
  defineOptimizer,
  defineMetric,
  defineDataset,
} from './contracts';
export type {
  Component,
  ComponentBase,
  ComponentKind,
  ComponentOfKind,
  DataSplit,
  Dataset,
  DatasetComponent,
  DatasetContext,
  LossKind,
  Metric,
  MetricComponent,
  MetricContext,
  MetricNeed,
  MetricObservation,
  ModelComponent,
  ModelContext,
  ModelInstance,
  Oracle,
  OracleTargets,
  Optimizer,
  OptimizerComponent,
  OptimizerStepInput,
  OptimizerStepResult,
  Plugin,
  SummaryQuantity,
  Task,
} from './contracts';
export { createMetricMemory, memoryKey } from './metric-memory';
export type { MemoryKey, MetricMemory } from './metric-memory';
export { Registry } from './registry';
export type { RegisteredComponent } from './registry';
export {
  parseOptions,
  describeIssues,
  createModel,
  assertSafeOptionPath,
  UNSAFE_PATH_SEGMENTS,
} from './options';
export { z } from 'zod';
