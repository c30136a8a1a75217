// The claims of Matveev et al. (arXiv 2505.21423) as lab experiments, theory overlays, figures and verdicts
// computed from the data. A command line or a script supplies the registry, progress and interruption.

// Running reproductions
export { runReproduction, reproduce } from './reproduce';
export type { ReproduceRequest, ReproduceResult, RunReproductionOptions } from './reproduce';
export { runPlan, ReproductionInterrupted } from './run-plan';
export type { ExperimentEvents, ExperimentProgress, ExperimentStart, RunPlanOptions } from './run-plan';
export { runMainJob, MAIN_JOB_NAME } from './main-job';
export type { MainJobOptions, MainJobResult } from './main-job';

// The catalogue and its contract
export { REPRODUCTIONS, findReproduction } from './catalogue';
export type { AnalysisContext, ExperimentPlan, Reproduction, ReproductionOutcome } from './reproduction';

// The report of a reproduce directory, rebuilt from disk (nothing trained); `reproduction.json` itself is
// read and written by @biaslab/results (`readReproductionRecord`, `writeReproductionRecord`).
export { writeReproductionReport } from './reproduction-report';
export type { ReportOptions, ReproductionReport, ReproductionVerdict } from './reproduction-report';

// The science: the observed break point and the analysis of a sweep's grid point
export {
  DEFAULT_BREAK_POINT_RULE,
  breakPointFinder,
  breakPointRuleOf,
  observedBreakPoint,
} from './break-point';
export type { BreakPoint, BreakPointRule } from './break-point';
export { analysePoint } from './point-analysis';
export type { AnalysedRun, PointAnalysis } from './point-analysis';

// Experiment configurations of the reproductions, for scripts and tests that run them at other sizes
export { ONE_POINT, ONE_POINT_SWEEP, onePointConfig } from './one-point';
export { EXACT_TOLERANCE } from './dln-onepoint-verdicts';
export { phaseConfig } from './phase-diagram';
export type { PhaseSizes } from './phase-diagram';
export { initShiftConfig } from './init-shift';
export { widthSpreads } from './width-mup';
export type { WidthSpread } from './width-mup';
export { imageDatasetFact, imageDataset, DEBIAN_FASHION_MNIST } from './image-data';
