import type { ExperimentPoint, ReportTable } from '@biaslab/report';
import { formatNumber } from '@biaslab/results';
import { breakPointRuleOf } from './break-point';
import { readPlan, statusCounts } from './experiment-data';
import { bestLimit, errorOf, limitRows, onePointOverlay } from './dln-onepoint-overlay';
import type { LimitRow, OnePointOverlay } from './dln-onepoint-overlay';
import { onePointFigures } from './dln-onepoint-figures';
import { onePointVerdicts } from './dln-onepoint-verdicts';
import { onePointConfig } from './one-point';
import type { AnalysisContext, ExperimentPlan, Reproduction, ReproductionOutcome } from './reproduction';

function plans(full: boolean): ExperimentPlan[] {
  return [
    {
      id: 'sweep',
      config: onePointConfig(full),
      description: full
        ? 'shared diagonal network, one point, float64, 40 η in [0.1, 2.6] + 6 around η_c + 4 edge bisections, ε = 1e-12 for 1000 steps, cap 200k steps'
        : 'shared diagonal network, one point, float64, 20 η in [0.1, 2.6], ε = 1e-8 for 300 steps, cap 20k steps',
    },
  ];
}

/**
 * Reads the one-point sweep and sets it beside the closed forms of @biaslab/theory: flow limit, s_GF and η_c,
 * the min-ℓ1 and min-sharpness interpolators, the stability edge and the predicted limit per η.
 */
export async function analyseOnePoint(context: AnalysisContext): Promise<ReproductionOutcome> {
  const data = readPlan(context.dir, 'sweep');
  const point = data.points[0];
  const overlay = onePointOverlay(point, breakPointRuleOf(data.manifest));
  const rows = limitRows(point, overlay.flowLoss);
  const verdicts = onePointVerdicts(point, overlay, rows);
  const figures = await onePointFigures(context.figuresDir, point, overlay, rows);
  const facts = factLines(point, overlay, rows);
  return {
    sections: [
      {
        heading: 'Diagonal network, one data point (dln-onepoint)',
        text: [data.manifest.description ?? '', ...facts],
        verdicts,
        figures,
        tables: [limitTable(rows)],
      },
    ],
    verdicts,
    lines: facts,
  };
}

/** The theory's numbers, the interpolators', and the lab's, in three lines. */
function factLines(point: ExperimentPoint, overlay: OnePointOverlay, rows: readonly LimitRow[]): string[] {
  const { limit, theory, flowLoss, etaMax, minL1, minS, sGF, etaC, breakEta } = overlay;
  const best = bestLimit(rows);
  return [
    `Theory: β_GF = (${[...limit.beta].map((b) => formatNumber(b)).join(', ')}), S(β_GF) = ${formatNumber(limit.sharpness)}; s_GF (to loss ${formatNumber(flowLoss)}) = ${formatNumber(theory.sGF)}, η_c = ${formatNumber(theory.etaC)}; stability edge η_max = ${formatNumber(etaMax)}.`,
    `Min-ℓ1 interpolator ‖β‖₁ = ${formatNumber(minL1.l1)}, S = ${formatNumber(minL1.sharpness)}, error ${formatNumber(errorOf(minL1.beta))}; min-sharpness interpolator ‖β‖₁ = ${formatNumber(minS.l1)}, S = ${formatNumber(minS.sharpness)}, error ${formatNumber(errorOf(minS.beta))}.`,
    `Runs: ${statusCounts(point.runs)}. Lab: s_GF = ${formatNumber(sGF)}, η_c = ${formatNumber(etaC)}, observed break ${breakEta === null ? 'none' : `η = ${formatNumber(breakEta)}`}; best error ${formatNumber(best?.error)} at η = ${formatNumber(best?.eta)}.`,
  ];
}

function limitTable(rows: readonly LimitRow[]): ReportTable {
  return {
    caption: 'Converged GD limits beside the theory (predicted ‖β‖₁ and S by regime).',
    columns: [
      { key: 'eta', label: 'η' },
      { key: 'steps', label: 'steps' },
      { key: 'regime', label: 'predicted regime', format: (v) => String(v) },
      { key: 'betaL1', label: '‖β‖₁' },
      { key: 'predictedL1', label: 'theory ‖β‖₁' },
      { key: 'sharpness', label: 'S' },
      { key: 'predictedS', label: 'theory S' },
      { key: 'stability', label: 'S·η/2' },
      { key: 'error', label: '‖β − β*‖²' },
    ],
    rows: [...rows],
  };
}

/** `dln-onepoint`: GD limits of the one-point diagonal network across η beside the closed forms. */
export const dlnOnePoint: Reproduction = {
  name: 'dln-onepoint',
  title: 'Diagonal network, one data point',
  claim:
    'Below η_c = 2/s_GF GD ends at the flow limit; above it at S ≈ 2/η with larger ‖β‖₁; the best error lies between the min-ℓ1 and min-sharpness interpolators.',
  experiments: (full) => plans(full),
  analyse: analyseOnePoint,
};
