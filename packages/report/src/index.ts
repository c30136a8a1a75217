export type { FigureSpec } from './theme';
export { FIGURE_FONT, STATUS_DOMAIN, STATUS_COLOURS } from './theme';
export type { SweepPoint, RegimeMarkers } from './sweep-point';
export * from './specs/index';
export { renderFigure, writeFigure } from './render';
export type { RenderOptions, RenderedFigure, WrittenFigure } from './render';
export { figureFonts } from './fonts';
export type { FontSetup } from './fonts';
export { pngSize, pngPixels, inkFraction } from './png-pixels';
export { verdict } from './verdict';
export type { Verdict } from './verdict';
export { renderReportHtml, writeReport } from './report-html';
export type { ReportColumn, ReportFigure, ReportOptions, ReportSection, ReportTable } from './report-html';
export { escapeHtml, inlineSvg } from './html-text';
export { readExperimentDir, experimentData } from './experiment-dir';
export type { ExperimentData, ExperimentPoint, ExperimentRun, FlowReference } from './experiment-dir';
export { runsTable, flowTable, describeConfig } from './experiment-tables';
export {
  DEFAULT_BREAK_POINT_RULE,
  DEFAULT_REGIME_CRITERIA,
  flowFinalSharpness,
  observedBreakPoint,
  regimeVerdicts,
} from './regimes';
export type { BreakPoint, BreakPointRule, RegimeCriteria, RegimeReference } from './regimes';
export { reportFromExperimentDir } from './report-from-experiment';
export type { ExperimentReport, ExperimentReportOptions } from './report-from-experiment';
