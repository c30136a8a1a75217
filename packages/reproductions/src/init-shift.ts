import type { ExperimentInput } from '@biaslab/lab';
import { lineChartSpec, verdict } from '@biaslab/report';
import type { ExperimentData, ReportFigure, ReportTable, Verdict } from '@biaslab/report';
import { formatNumber } from '@biaslab/results';
import { onePointFlowSharpness } from '@biaslab/theory';
import { breakPointRuleOf, observedBreakPoint } from './break-point';
import { readPlan, statusCounts } from './experiment-data';
import { figure } from './figure';
import { relativeGap } from './relative-error';
import { ONE_POINT, onePointConfig } from './one-point';
import type { AnalysisContext, Reproduction, ReproductionOutcome } from './reproduction';

const SMALL_ALPHAS = [0.1, 0.5, 0.8];
const FULL_ALPHAS = [0.01, 0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9];

/** The one-point sweep crossed with a grid over the init scale α (each α has its own flow and η_c). */
export function initShiftConfig(full: boolean): ExperimentInput {
  const base = onePointConfig(full);
  return {
    ...base,
    model: { name: 'dln', options: { parametrization: 'shared' } },
    lrGrid: { from: 0.1, to: 2.6, count: full ? 40 : 24, spacing: 'log' },
    refine: { etaC: full ? 8 : 4, edge: full ? 4 : 0 },
    grid: { 'model.options.alpha': full ? FULL_ALPHAS : SMALL_ALPHAS },
  };
}

/** One init scale: the lab's s_GF and η_c, the observed break, and the closed-form s_GF and η_c. */
type AlphaRow = {
  readonly alpha: number;
  readonly sGF: number | null;
  readonly etaC: number | null;
  readonly breakEta: number | null;
  readonly theorySGF: number;
  readonly theoryEtaC: number;
  /** Status counts of the point's runs. */
  readonly runs: string;
};

function alphaRows(data: ExperimentData): AlphaRow[] {
  const rule = breakPointRuleOf(data.manifest);
  return data.points.map((point) => {
    const alpha = Number(point.grid['model.options.alpha']);
    const epsilon = typeof point.flow?.final.loss === 'number' ? point.flow.final.loss : 1e-8;
    const theory = onePointFlowSharpness({ x: ONE_POINT.x, y: ONE_POINT.y, alpha }, { epsilon });
    const sGF = point.flow?.sGF ?? null;
    const etaC = point.flow?.etaC ?? null;
    const { breakEta } = observedBreakPoint(point.runs, sGF, rule);
    return {
      alpha,
      sGF,
      etaC,
      breakEta,
      theorySGF: theory.sGF,
      theoryEtaC: theory.etaC,
      runs: statusCounts(point.runs),
    };
  });
}

function initShiftVerdicts(rows: readonly AlphaRow[]): Verdict[] {
  return [
    verdict(
      'lab s_GF (RK4 flow) equals the closed-form s_GF to 1e-6 for every α',
      rows.filter((r) => r.sGF !== null),
      (r) => relativeGap(r.sGF!, r.theorySGF) <= 1e-6,
      (r) => `α = ${r.alpha}: ${formatNumber(r.sGF)} vs ${formatNumber(r.theorySGF)}`,
    ),
    verdict(
      'predicted η_c = 2/s_GF within 15% of the observed break point, every α',
      rows.filter((r) => r.etaC !== null),
      (r) => r.breakEta !== null && Math.abs(r.breakEta / r.etaC! - 1) <= 0.15,
      (r) => `α = ${r.alpha}: η_c ${formatNumber(r.etaC)}, break ${formatNumber(r.breakEta)}`,
    ),
    verdict(
      'the observed break point moves with the predicted η_c: both orderings over α agree',
      rows.length >= 2 && rows.every((r) => r.etaC !== null && r.breakEta !== null) ? [rows] : [],
      (rs) => {
        const byEtaC = [...rs].sort((a, b) => a.etaC! - b.etaC!).map((r) => r.alpha);
        const byBreak = [...rs].sort((a, b) => a.breakEta! - b.breakEta!).map((r) => r.alpha);
        return byEtaC.every((a, i) => a === byBreak[i]);
      },
    ),
  ];
}

/** The closed-form η_c over α (60 points between the grid's ends) beside the lab's η_c and the breaks. */
function initShiftFigure(figuresDir: string, rows: readonly AlphaRow[]): Promise<ReportFigure> {
  const alphas = rows.map((r) => r.alpha);
  const lo = Math.min(...alphas);
  const hi = Math.max(...alphas);
  const curve = Array.from({ length: 60 }, (_, i) => {
    const alpha = lo + ((hi - lo) * i) / 59;
    return {
      alpha,
      value: onePointFlowSharpness({ x: ONE_POINT.x, y: ONE_POINT.y, alpha }, { epsilon: 1e-8 }).etaC,
      series: 'theory η_c = 2/s_GF',
    };
  });
  return figure(
    figuresDir,
    'init-shift',
    'Predicted η_c (theory curve and lab flow) and the observed break point vs the init scale α.',
    lineChartSpec({
      data: [
        ...curve,
        ...rows.map((r) => ({ alpha: r.alpha, value: r.etaC, series: 'lab η_c = 2/s_GF' })),
        ...rows.map((r) => ({ alpha: r.alpha, value: r.breakEta, series: 'observed break' })),
      ],
      x: { field: 'alpha', title: 'init scale α' },
      y: { field: 'value', title: 'learning rate η' },
      series: { field: 'series', title: '' },
      title: 'η_c and s_GF move together with the init scale',
    }),
  );
}

function alphaTable(rows: readonly AlphaRow[]): ReportTable {
  return {
    columns: [
      { key: 'alpha', label: 'α' },
      { key: 'sGF', label: 's_GF (lab)' },
      { key: 'theorySGF', label: 's_GF (theory)' },
      { key: 'etaC', label: 'η_c' },
      { key: 'breakEta', label: 'observed break' },
      { key: 'runs', label: 'runs', format: (v) => String(v) },
    ],
    rows: [...rows],
  };
}

/** Per α: lab s_GF vs the closed form, predicted η_c vs the observed break; and the two move together. */
export async function analyseInitShift(context: AnalysisContext): Promise<ReproductionOutcome> {
  const data = readPlan(context.dir, 'sweep');
  const rows = alphaRows(data);
  const verdicts = initShiftVerdicts(rows);
  const fig = await initShiftFigure(context.figuresDir, rows);
  const lines = rows.map(
    (r) =>
      `α = ${r.alpha}: s_GF = ${formatNumber(r.sGF)} (theory ${formatNumber(r.theorySGF)}), η_c = ${formatNumber(r.etaC)}, observed break ${formatNumber(r.breakEta)}; ${r.runs}`,
  );
  return {
    sections: [
      {
        heading: 'Init scale moves s_GF and η_c together (init-shift)',
        text: [data.manifest.description ?? '', ...lines],
        verdicts,
        figures: [fig],
        tables: [alphaTable(rows)],
      },
    ],
    verdicts,
    lines,
  };
}

/** `init-shift`: changing the init scale moves s_GF and η_c together. */
export const initShift: Reproduction = {
  name: 'init-shift',
  title: 'Init scale moves η_c',
  claim: 'Changing the initialisation scale moves s_GF, and the observed break point follows η_c = 2/s_GF.',
  experiments: (full) => [
    {
      id: 'sweep',
      config: initShiftConfig(full),
      description: `shared diagonal network, one point x = (1, 0.2), y = 1, α ∈ {${(full ? FULL_ALPHAS : SMALL_ALPHAS).join(', ')}}, float64, ${full ? 40 : 24} η in [0.1, 2.6] + refinement around each η_c, ε = ${full ? '1e-12 for 1000' : '1e-8 for 300'} steps`,
    },
  ],
  analyse: analyseInitShift,
};
