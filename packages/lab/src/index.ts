export { experimentSchema, parseExperiment, experimentPoints } from './experiment';
export type { ExperimentConfig, ExperimentInput, ExperimentPoint } from './experiment';
export { resolveExperiment } from './resolve-experiment';
export type { Resolved, ResolvedExperiment, ResolvedPoint } from './resolve-experiment';
export { gridPoints, gridLabel, applyGridPoint, gridProblems } from './grid';
export type { GridPoint, GridSpec } from './grid';
export { runExperiment, defaultWorkers } from './execute';
export type { ExperimentResult, PointResult, RunExperimentOptions } from './execute';
export { experimentLayout } from './experiment-layout';
export type { ExperimentLayout } from './experiment-layout';
export { prepareExperiment } from './prepare';
export type { LabObjective, ObjectiveFactory, PreparedExperiment, RunMetricHooks } from './prepare';
export { runGroup, runOnce, RunInterrupted } from './run';
export type { GroupRun, GroupStepper, RunGroupOptions, RunOptions, RunResult } from './run';
export { OptimizerSteps } from './optimizer-steps';
export { BatchedGdSteps } from './batched-gd-steps';
export type { BatchedGdSource } from './batched-gd-steps';
export { sweep } from './sweep';
export type { SweepOptions, SweepResult, SweepStopRules } from './sweep';
export { StopMonitor, defaultDivergenceBound } from './stop-rules';
export type { StopRules, StopVerdict } from './stop-rules';
export { gradientFlow, GRADIENT_FLOW_DEFAULTS } from './gradient-flow';
export type { GradientFlowOptions, GradientFlowResult, GradientFlowSettings } from './gradient-flow';
export { MetricEvaluator, finiteOrNull } from './metric-evaluator';
export type { EvaluationExtras, MetricEnvironment, ResolvedMetric } from './metric-evaluator';
export { summarize, summaryKeys } from './summary';
export type { SummaryKeys } from './summary';
export { lrGridValues, formatEta } from './lr-grid';
export type { LrGrid } from './lr-grid';
export { roundEta, etaCNeighbours, divergenceBracket, bisectEta } from './refine';
export type { EtaOutcome } from './refine';
export { TaskRunner, LocalExecutor } from './task-runner';
export { WorkerPool } from './worker-pool';
export type { WorkerScript } from './worker-pool';
export { serveWorker } from './worker';
export type {
  FileTask,
  FinalRow,
  FlowTask,
  RunGroupTask,
  RunTask,
  Task,
  TaskCallbacks,
  TaskExecutor,
  TaskProgress,
} from './tasks';
export { machineInfo, packageVersions } from './environment';
/** The differentiation rules and float64 status, for tools that explain what a model needs (`biaslab inspect`). */
export { supportedOps, float64Blockers } from '@biaslab/runtime';
