export { experimentSchema, parseExperiment, experimentPoints } from './experiment';
export type { ExperimentConfig, ExperimentInput, ExperimentPoint } from './experiment';
export { resolveExperiment } from './resolve-experiment';
export type { Resolved, ResolvedExperiment, ResolvedPoint } from './resolve-experiment';
export { gridPoints, gridLabel, applyGridPoint, gridProblems } from './grid';
export type { GridPoint, GridSpec } from './grid';
export { runExperiment, defaultWorkers } from './execute';
export type { ExperimentResult, PointResult, RunExperimentOptions } from './execute';
export type { FlowSummary } from './flow-summary';
export { experimentLayout } from './experiment-layout';
export type { ExperimentLayout } from './experiment-layout';
export { prepareExperiment } from './prepare';
export type { LabObjective, ObjectiveFactory, PreparedExperiment, RunMetricHooks } from './prepare';
export { runGroup, runOnce, RunInterrupted } from './run';
export type { GroupRun, GroupStepper, RunGroupOptions, RunOptions, RunResult, SeriesRow } from './run';
export { OptimizerSteps } from './optimizer-steps';
export { BatchedGdSteps } from './batched-gd-steps';
export type { BatchedGdSource } from './batched-gd-steps';
export { sweep } from './sweep';
export type { SweepOptions, SweepResult, SweepStopRules } from './sweep';
export { StopMonitor, defaultDivergenceBound } from './stop-rules';
export type { RunStatus, StopRules, StopVerdict } from './stop-rules';
export { gradientFlow, GRADIENT_FLOW_DEFAULTS } from './gradient-flow';
export type { FlowRow, GradientFlowOptions, GradientFlowResult, GradientFlowSettings } from './gradient-flow';
export { MetricEvaluator, finiteOrNull } from './metric-evaluator';
export type { EvaluationExtras, MetricEnvironment, MetricValues, ResolvedMetric } from './metric-evaluator';
export { summarize, l1Norm, SUMMARY_METRIC_KEYS } from './summary';
export type { SummaryRow } from './summary';
export { ResultsStore, atomicWrite } from './results-store';
export type { LineWriter } from './results-store';
export { readExperiment, readSeries } from './results-reader';
export type { ExperimentRecord, SeriesRecord } from './results-reader';
export { csvField, csvLine } from './csv';
export { runsCsv, seriesCsv } from './results-export';
export { toJson, readJsonLines } from './json-lines';
export { lrGridValues, formatEta } from './lr-grid';
export type { LrGrid } from './lr-grid';
export { roundEta, etaCNeighbours, divergenceBracket, bisectEta } from './refine';
export type { EtaOutcome } from './refine';
export { analysePoint } from './analysis';
export type { AnalysedRun, BreakPointRule, PointAnalysis } from './analysis';
export { TaskRunner, LocalExecutor } from './task-runner';
export { WorkerPool } from './worker-pool';
export type { WorkerScript } from './worker-pool';
export { serveWorker } from './worker';
export type {
  FileTask,
  FinalRow,
  FlowTask,
  RunGroupTask,
  RunPhase,
  RunTask,
  Task,
  TaskCallbacks,
  TaskExecutor,
  TaskProgress,
} from './tasks';
export { machineInfo, packageVersions } from './environment';
export type { MachineInfo } from './environment';
/** The differentiation rules and float64 status, for tools that explain what a model needs (`biaslab inspect`). */
export { supportedOps, float64Blockers, FLOAT64_BLOCKERS } from '@biaslab/runtime';
