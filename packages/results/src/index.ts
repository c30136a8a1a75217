export { formatNumber, formatSignificant } from './format-number';
export type { FormatNumberOptions } from './format-number';
export { toJson, readJsonLines, readJsonFile, checkRow } from './json-lines';
export {
  metricValuesSchema,
  runFileRowSchema,
  runFinalRowSchema,
  runPhaseSchema,
  runStatusSchema,
  seriesRowSchema,
  summaryRowSchema,
} from './run-rows';
export type {
  MetricValues,
  RunFileRow,
  RunFinalRow,
  RunPhase,
  RunStatus,
  SeriesRow,
  SummaryRow,
} from './run-rows';
export { flowFileRowSchema, flowFinalRowSchema, flowRowSchema, flowSummarySchema } from './flow-rows';
export type { FlowFileRow, FlowFinalRow, FlowRow, FlowSummary } from './flow-rows';
export {
  experimentManifestSchema,
  machineInfoSchema,
  manifestExtrasSchema,
  manifestPointSchema,
  recordedConfigSchema,
} from './manifest';
export type {
  ExperimentManifest,
  MachineInfo,
  ManifestExtras,
  ManifestPoint,
  RecordedConfig,
} from './manifest';
export { MANIFEST_FILE, RUNS_DIR, SUMMARY_FILE, taskFilePath } from './experiment-files';
export type { TaskFileKind } from './experiment-files';
export { ResultsStore, atomicWrite } from './results-store';
export type { LineWriter } from './results-store';
export {
  readExperiment,
  readFinalRow,
  readFlowFile,
  readManifest,
  readRunFile,
  readSeries,
} from './results-reader';
export type {
  ExperimentRecord,
  FlowRecord,
  PointRecord,
  ReadExperimentOptions,
  ReadRow,
  RunRecord,
  SeriesRecord,
} from './results-reader';
export { csvField, csvLine } from './csv';
export { runsCsv, seriesCsv } from './results-export';
export {
  REPRODUCTION_FILE,
  readReproductionRecord,
  recordedReproductionSchema,
  reproductionRecordSchema,
  writeReproductionRecord,
} from './reproduction-record';
export type { RecordedReproduction, ReproductionRecord } from './reproduction-record';
