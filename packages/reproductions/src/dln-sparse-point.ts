import { normsVsEtaSpec, regimeVerdicts, sharpnessVsEtaSpec, verdict } from '@biaslab/report';
import type { ExperimentPoint, ReportFigure, ReportSection, Verdict } from '@biaslab/report';
import { formatNumber } from '@biaslab/results';
import { observedBreakPoint } from './break-point';
import type { BreakPointRule } from './break-point';
import { convergedRuns, statusCounts } from './experiment-data';
import { figure } from './figure';

/** The interpolators every init scale is compared with. */
export interface SparseReferences {
  /** ‖β‖₁ of the LP min-ℓ1 interpolator (β ≥ 0). */
  readonly lpL1: number;
  /** The certified lower bound on the sharpness of any interpolator. */
  readonly flatLowerBound: number;
  readonly rule: BreakPointRule;
}

/** What one init scale α of the sparse sweep concluded. */
export interface SparseAlpha {
  readonly alpha: number;
  readonly verdicts: readonly Verdict[];
  readonly section: ReportSection;
  readonly line: string;
  /** The flow limit's ‖β‖₁, when the flow recorded it. */
  readonly flowL1: number | null;
}

/** One init scale: the regime verdicts, the two interpolator bounds, its figures and its line. */
export async function analyseSparseAlpha(
  figuresDir: string,
  point: ExperimentPoint,
  refs: SparseReferences,
): Promise<SparseAlpha> {
  const alpha = Number(point.grid['model.options.alpha']);
  const name = `α = ${alpha}`;
  const sGF = point.flow?.sGF ?? null;
  const etaC = point.flow?.etaC ?? null;
  // With several points the flow's sharpness can peak before its end, so the flow-aligned runs (and the
  // break point's "flatter than the flow") use the flow's final S(θ_GF(t_ε)), not the peak s_GF (which still
  // sets η_c).
  const flowFinalS = point.flow?.sFinal ?? null;
  const { breakEta } = observedBreakPoint(point.runs, flowFinalS ?? sGF, refs.rule);
  const verdicts = [
    ...regimeVerdicts(point.runs, { etaC, sGF, flowFinalS, breakEta }),
    ...boundVerdicts(point, refs),
  ].map((v) => ({ ...v, label: `${name}: ${v.label}`, text: `${name}: ${v.text}` }));
  const betaL1 = point.flow?.final.betaL1;
  const flowL1 = typeof betaL1 === 'number' ? betaL1 : null;
  const line = `${name}: ${statusCounts(point.runs)}; s_GF = ${formatNumber(sGF)}, η_c = ${formatNumber(etaC)}, break ${formatNumber(breakEta)}, flow ‖β‖₁ = ${formatNumber(flowL1)}`;
  const markers = { etaC, sGF, breakEta };
  const figures: ReportFigure[] = [
    await figure(
      figuresDir,
      `sparse-alpha${alpha}-sharpness`,
      `${name}: final S vs η.`,
      sharpnessVsEtaSpec({
        points: point.runs,
        ...markers,
        title: `Sparse regression, ${name}: final S vs η`,
      }),
    ),
    await figure(
      figuresDir,
      `sparse-alpha${alpha}-norms`,
      `${name}: ‖β‖₁ vs η.`,
      normsVsEtaSpec({ points: point.runs, ...markers, title: `Sparse regression, ${name}: norms vs η` }),
    ),
  ];
  const section = { heading: `Sparse regression, ${name}`, text: line, verdicts, figures };
  return { alpha, verdicts, section, line, flowL1 };
}

/** No converged run below the LP minimum ‖β‖₁ or flatter than the certified min-sharpness bound. */
function boundVerdicts(point: ExperimentPoint, refs: SparseReferences): Verdict[] {
  const converged = convergedRuns(point);
  return [
    verdict(
      'no converged run has ‖β‖₁ below the LP minimum (to 1e-6)',
      converged.filter((r) => r.betaL1 != null),
      (r) => r.betaL1! >= refs.lpL1 * (1 - 1e-6),
      (r) => `η = ${formatNumber(r.eta)} (‖β‖₁ = ${formatNumber(r.betaL1)})`,
    ),
    verdict(
      'no converged run is flatter than the certified min-sharpness bound',
      converged.filter((r) => r.sharpness !== null),
      (r) => r.sharpness! >= refs.flatLowerBound * (1 - 1e-6),
      (r) => `η = ${formatNumber(r.eta)} (S = ${formatNumber(r.sharpness)})`,
    ),
  ];
}
