import { join } from 'node:path';
import { formatNumber } from '@biaslab/results';
import type { ExperimentManifest } from '@biaslab/results';
import { readExperimentDir } from './experiment-dir';
import type { ExperimentData, ExperimentRun } from './experiment-dir';
import { describeConfig, flowTable, runsTable } from './experiment-tables';
import { DEFAULT_REGIME_CRITERIA, regimeVerdicts } from './regimes';
import type { RegimeCriteria } from './regimes';
import { writeFigure } from './render';
import type { RenderOptions, WrittenFigure } from './render';
import { writeReport } from './report-html';
import type { ReportFigure, ReportSection } from './report-html';
import {
  generalisationVsEtaSpec,
  normsVsEtaSpec,
  sharpnessTrajectoriesSpec,
  sharpnessVsEtaSpec,
} from './specs/index';
import type { TrajectoryPoint } from './specs/index';
import type { FigureSpec } from './theme';
import type { Verdict } from './verdict';
import type { SweepPoint } from './sweep-point';

/**
 * How the report finds a sweep's observed break point. The rule is the science's (`breakPointFinder` of
 * `@biaslab/reproductions`); the report sits below it, so it is handed the rule instead of importing it.
 */
export interface BreakPointFinder {
  /** The rule in one sentence, with the thresholds the experiment's manifest recorded. */
  describe(manifest: ExperimentData['manifest']): string;
  /** The break point of one grid point's runs against `sFlow`, the flow's final sharpness (s_GF without it). */
  find(
    runs: readonly SweepPoint[],
    sFlow: number | null,
    manifest: ExperimentData['manifest'],
  ): { readonly breakEta: number | null; readonly lastAligned: number | null };
}

/** Options of {@link reportFromExperimentDir}. */
export interface ExperimentReportOptions extends Omit<RenderOptions, 'formats'> {
  /** The observed-break-point rule (`breakPointFinder` of `@biaslab/reproductions`). */
  readonly breakPoint: BreakPointFinder;
  /** Where `report.html` and `figures/` go (default: the experiment directory). */
  readonly outDir?: string;
  readonly title?: string;
  readonly criteria?: RegimeCriteria;
  /** Most runs drawn in the sharpness-trajectory figure (default 6, spread over η). */
  readonly maxTrajectories?: number;
}

/** What {@link reportFromExperimentDir} wrote and concluded. */
export interface ExperimentReport {
  readonly reportPath: string;
  readonly figures: readonly WrittenFigure[];
  /** Every verdict of every grid point, in report order. */
  readonly verdicts: readonly Verdict[];
  readonly data: ExperimentData;
}

/**
 * Reads a learning-rate sweep's experiment directory and writes `figures/*.svg|png` and a self-contained
 * `report.html`: per grid point, final sharpness vs η (with 2/η, s_GF, predicted η_c and the observed break
 * point), norms vs η, generalisation vs η, sharpness along training (when the runs recorded it), the runs
 * and flow tables, and the regime verdicts computed from the data; the manifest at the end.
 */
export async function reportFromExperimentDir(
  dir: string,
  options: ExperimentReportOptions,
): Promise<ExperimentReport> {
  const data = readExperimentDir(dir);
  const outDir = options.outDir ?? dir;
  const figuresDir = join(outDir, 'figures');
  const render: RenderOptions = {
    width: options.width,
    height: options.height,
    scale: options.scale,
    fontFiles: options.fontFiles,
  };
  const testErrorLabel = hasGroundTruth(data.manifest) ? '‖β − β*‖²' : 'test error';
  const figures: WrittenFigure[] = [];
  const verdicts: Verdict[] = [];
  const grid = data.points.length > 1;
  const sections: ReportSection[] = [
    {
      heading: 'Experiment',
      text: [
        describeConfig(data.manifest),
        `Loss normalisation: ${data.manifest.lossNormalisation}.`,
        `S = max |λ(∇²L)| of the full training loss at the final iterate; 2/η is the stability threshold of GD.`,
        options.breakPoint.describe(data.manifest),
        ...(data.unfinished.length > 0
          ? [`Unfinished runs (no final row, not reported): ${data.unfinished.join(', ')}.`]
          : []),
      ],
    },
  ];
  for (const point of data.points) {
    if (point.runs.length === 0) continue;
    const prefix = grid ? `p${String(point.index).padStart(2, '0')}-` : '';
    const heading = grid
      ? `Point ${point.index}${point.label ? `: ${point.label}` : ''}`
      : 'Learning-rate sweep';
    const sGF = point.flow?.sGF ?? null;
    const etaC = point.flow?.etaC ?? null;
    const flowFinalS = point.flow?.sFinal ?? null;
    const { breakEta, lastAligned } = options.breakPoint.find(point.runs, flowFinalS ?? sGF, data.manifest);
    const markers = { etaC, sGF, breakEta };
    const pointVerdicts = regimeVerdicts(
      point.runs,
      { etaC, sGF, flowFinalS, breakEta, flowThetaL1: point.flow?.final.thetaL1 ?? null },
      options.criteria ?? DEFAULT_REGIME_CRITERIA,
    );
    verdicts.push(...pointVerdicts);
    const specs: [string, string, FigureSpec][] = [
      [
        'sharpness-vs-eta',
        'Final sharpness S vs η (log-log) with 2/η, s_GF, predicted η_c and the observed break point.',
        sharpnessVsEtaSpec({ points: point.runs, ...markers }),
      ],
      [
        'norms-vs-eta',
        'Final ‖θ‖₁, ‖θ‖₂ and ‖β‖₁ (those measured) vs η.',
        normsVsEtaSpec({ points: point.runs, ...markers }),
      ],
      [
        'generalisation-vs-eta',
        `Test loss / ${testErrorLabel} and accuracy (those measured) vs η.`,
        generalisationVsEtaSpec({ points: point.runs, ...markers, testErrorLabel }),
      ],
    ];
    const trajectories = trajectoryRuns(point.runs, options.maxTrajectories ?? 6);
    if (trajectories.length > 0) {
      specs.push([
        'sharpness-trajectories',
        'Sharpness along training for several η, each against its 2/η.',
        sharpnessTrajectoriesSpec({ series: trajectories }),
      ]);
    }
    const sectionFigures: ReportFigure[] = [];
    for (const [name, caption, spec] of specs) {
      const written = await writeFigure(figuresDir, `${prefix}${name}`, spec, render);
      figures.push(written);
      sectionFigures.push({ name: written.name, caption, svg: written.svg });
    }
    const counts = countStatuses(point.runs);
    sections.push({
      heading,
      text: [
        `${point.runs.length} runs: ${Object.entries(counts)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')}.`,
        etaC === null
          ? 'No gradient-flow reference was recorded, so η_c is unknown and the regime claims are not tested.'
          : `Predicted η_c = 2/s_GF = ${formatNumber(etaC)} (s_GF = ${formatNumber(sGF)}); observed break point ${breakEta === null ? 'none in the grid' : `η = ${formatNumber(breakEta)} (${formatNumber(breakEta / etaC)} × η_c)`}; last flow-aligned η = ${formatNumber(lastAligned)}.`,
      ],
      verdicts: pointVerdicts,
      figures: sectionFigures,
      tables: [...(point.flow ? [flowTable(point.flow)] : []), runsTable(point.runs, testErrorLabel)],
    });
  }
  const reportPath = await writeReport(outDir, {
    title: options.title ?? `biaslab report: ${data.manifest.source ?? dir}`,
    sections,
    manifest: data.manifest,
  });
  return { reportPath, figures, verdicts, data };
}

/** True when the dataset has a ground truth β* (the test error is then ‖β − β*‖²). */
function hasGroundTruth(manifest: ExperimentManifest): boolean {
  return Array.isArray(manifest.config.dataset.options.betaStar);
}

function countStatuses(runs: readonly ExperimentRun[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of runs) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

/**
 * Sharpness series of up to `max` non-diverged runs that recorded S at two or more steps, spread evenly
 * over their η order (diverged runs blow up and would flatten every other curve).
 */
function trajectoryRuns(runs: readonly ExperimentRun[], max: number): TrajectoryPoint[] {
  const withSeries = runs
    .filter((r) => r.status !== 'diverged')
    .map((r) => ({ run: r, points: sharpnessSeries(r) }))
    .filter((r) => r.points.length >= 2)
    .sort((a, b) => a.run.eta - b.run.eta);
  if (withSeries.length === 0 || max < 1) return [];
  const picked =
    withSeries.length <= max
      ? withSeries
      : Array.from(
          { length: max },
          (_, i) => withSeries[Math.round((i * (withSeries.length - 1)) / (max - 1 || 1))],
        );
  return [...new Set(picked)].flatMap((r) => r.points);
}

function sharpnessSeries(run: ExperimentRun): TrajectoryPoint[] {
  const out: TrajectoryPoint[] = [];
  for (const row of run.series) {
    const s = row.metrics?.sharpness;
    if (typeof s === 'number') out.push({ eta: run.eta, step: row.step, sharpness: Math.abs(s) });
  }
  return out;
}
