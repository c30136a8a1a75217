import {
  lineChartSpec,
  observedBreakPoint,
  regimeVerdicts,
  sharpnessVsEtaSpec,
  verdict,
} from '@biaslab/report';
import { formatNumber } from '@biaslab/results';
import type { ReportTable, Verdict } from '@biaslab/report';
import {
  onePointFlowLimit,
  onePointFlowSharpness,
  onePointMinL1Interpolator,
  onePointMinSharpnessInterpolator,
  onePointPathBeta,
  onePointPathCoordinateAtLoss,
  onePointPredictedLimit,
  onePointSharpness,
  onePointStabilityEdge,
} from '@biaslab/theory';
import type { ExperimentInput } from '@biaslab/lab';
import {
  breakPointRuleOf,
  convergedRuns,
  figure,
  finalTheta,
  readPlan,
  relativeError,
  relativeGap,
  statusCounts,
  uShapeVerdict,
} from './analysis-helpers';
import type { AnalysisContext, ExperimentPlan, Reproduction, ReproductionOutcome } from './reproduction';

/** The paper's one-point problem: x = (1, 0.2), y = 1, w₀ = α·1, ground truth β* = (0.7, 1.5). */
export const ONE_POINT = { x: [1, 0.2], y: 1, alpha: 0.1, betaStar: [0.7, 1.5] } as const;

/** Float64 agreement demanded where the theory is exact. */
export const EXACT_TOLERANCE = 1e-6;

/** The one-point sweep's experiment configuration (small or `full`). */
export function onePointConfig(full: boolean): ExperimentInput {
  return {
    model: { name: 'dln', options: { parametrization: 'shared', alpha: ONE_POINT.alpha } },
    dataset: {
      name: 'one-point',
      options: { x: [...ONE_POINT.x], y: ONE_POINT.y, betaStar: [...ONE_POINT.betaStar] },
    },
    loss: 'mse',
    optimizer: { name: 'gd', options: {} },
    metrics: ['l1', 'beta-l1', 'sharpness', 'test-error'],
    every: full ? 50 : 100,
    dtype: 'float64',
    seed: 0,
    stop: full
      ? { epsilon: 1e-12, patience: 1000, maxSteps: 200_000 }
      : { epsilon: 1e-8, patience: 300, maxSteps: 20_000 },
    lrGrid: { from: 0.1, to: 2.6, count: full ? 40 : 20, spacing: 'log' },
    // A fine RK4 step: the flow is compared with the closed form to 1e-6.
    flow: { hMax: 0.01 },
    refine: full ? { etaC: 6, edge: 4 } : {},
  };
}

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

/** ‖β − β*‖² (the Gaussian-input generalisation error). */
function errorOf(beta: ArrayLike<number>): number {
  return ONE_POINT.betaStar.reduce((s, b, i) => s + (beta[i] - b) ** 2, 0);
}

const square = (w: readonly number[]) => w.map((v) => v * v);

/**
 * Reads the one-point sweep and sets it beside the closed forms of @biaslab/theory: flow limit, s_GF and η_c,
 * the min-ℓ1 and min-sharpness interpolators, the stability edge and the predicted limit per η.
 */
export async function analyseOnePoint(context: AnalysisContext): Promise<ReproductionOutcome> {
  const data = readPlan(context.dir, 'sweep');
  const point = data.points[0];
  const flow = point.flow;
  const problem = { x: ONE_POINT.x, y: ONE_POINT.y, alpha: ONE_POINT.alpha };
  const limit = onePointFlowLimit(problem);
  const minL1 = onePointMinL1Interpolator(problem.x, problem.y);
  const minS = onePointMinSharpnessInterpolator(problem.x, problem.y);
  const etaMax = onePointStabilityEdge(problem.x, problem.y);
  const flowLoss = typeof flow?.final.loss === 'number' ? flow.final.loss : 1e-8;
  const theory = onePointFlowSharpness(problem, { epsilon: flowLoss });
  const rule = breakPointRuleOf(data);
  const sGF = flow?.sGF ?? null;
  const etaC = flow?.etaC ?? null;
  const { breakEta } = observedBreakPoint(point.runs, sGF, rule);
  const converged = convergedRuns(point);
  const verdicts: Verdict[] = [
    ...regimeVerdicts(point.runs, {
      etaC,
      sGF,
      breakEta,
      flowThetaL1: typeof flow?.final.thetaL1 === 'number' ? flow.final.thetaL1 : null,
    }),
  ];
  // Exact theory against the float64 computations.
  const flowTheta = flow ? finalTheta(flow.final) : null;
  verdicts.push(
    verdict(
      `RK4 flow's final β on the closed-form path β_i = α²e^{c xᵢ} at the same loss, to ${EXACT_TOLERANCE} (relative)`,
      flowTheta ? [flowTheta] : [],
      (w) =>
        relativeError(
          square(w),
          onePointPathBeta(problem, onePointPathCoordinateAtLoss(problem, flowLoss)),
        ) <= EXACT_TOLERANCE,
    ),
    verdict(
      `lab s_GF (RK4 + Lanczos) equals the closed-form s_GF = ${formatNumber(theory.sGF)} to ${EXACT_TOLERANCE}`,
      sGF === null ? [] : [sGF],
      (s) => relativeGap(s, theory.sGF) <= EXACT_TOLERANCE,
    ),
    verdict(
      `measured final S equals the closed-form Hessian spectrum at the final w to ${EXACT_TOLERANCE}, converged runs`,
      converged.filter((r) => finalTheta(r.final) && r.sharpness !== null),
      (r) =>
        relativeGap(r.sharpness!, Math.abs(onePointSharpness(problem.x, problem.y, finalTheta(r.final)!))) <=
        EXACT_TOLERANCE,
      (r) => `η = ${formatNumber(r.eta)}`,
    ),
  );
  const rows = converged.map((r) => {
    const w = finalTheta(r.final);
    const beta = w ? square(w) : null;
    const predicted = onePointPredictedLimit(problem, r.eta, flowLoss);
    return {
      eta: r.eta,
      steps: r.steps ?? null,
      betaL1: r.betaL1 ?? null,
      sharpness: r.sharpness,
      stability: r.sharpness === null ? null : (r.sharpness * r.eta) / 2,
      error: beta ? errorOf(beta) : (r.testError ?? null),
      regime: predicted.regime,
      predictedL1: predicted.beta ? predicted.beta.reduce((s, b) => s + b, 0) : null,
      predictedS: predicted.sharpness,
    };
  });
  const best = rows.reduce<(typeof rows)[number] | null>(
    (b, r) => (r.error !== null && (b === null || r.error < b.error!) ? r : b),
    null,
  );
  verdicts.push(
    uShapeVerdict('error ‖β − β*‖² vs η is U-shaped, minimum at neither end of the converged runs', [
      { name: 'GD', rows: rows.map((r) => ({ eta: r.eta, value: r.error })) },
    ]),
    verdict(
      'neither the min-ℓ1 nor the min-sharpness interpolator minimises the error: the best GD limit beats both',
      best
        ? [
            { name: 'min-ℓ1', e: errorOf(minL1.beta) },
            { name: 'min-sharpness', e: errorOf(minS.beta) },
          ]
        : [],
      (c) => best!.error! < c.e,
      (c) => `${c.name} error ${formatNumber(c.e)} ≤ best GD ${formatNumber(best?.error)}`,
    ),
    verdict(
      `no run settles beyond the stability edge η_max = 1/(2y·min x) = ${formatNumber(etaMax)}`,
      point.runs.filter((r) => r.eta > etaMax),
      (r) => r.status !== 'converged',
      (r) => `η = ${formatNumber(r.eta)} (${r.status})`,
    ),
  );
  const markers = { etaC, sGF, breakEta };
  const figs = [
    await figure(
      context.figuresDir,
      'dln-onepoint-sharpness',
      'Final S vs η with 2/η, s_GF, predicted η_c and the observed break point (shared diagonal network, one point).',
      sharpnessVsEtaSpec({ points: point.runs, ...markers, title: 'Diagonal network: final sharpness vs η' }),
    ),
    await figure(
      context.figuresDir,
      'dln-onepoint-l1',
      '‖β‖₁ of the GD limit vs η beside the theory’s prediction (flow limit below η_c, the S = 2/η interpolator above).',
      lineChartSpec({
        data: rows.flatMap((r) => [
          { eta: r.eta, value: r.betaL1, series: 'GD limit' },
          { eta: r.eta, value: r.predictedL1, series: 'theory' },
        ]),
        x: { field: 'eta', title: 'learning rate η', log: true },
        y: { field: 'value', title: '‖β‖₁' },
        series: { field: 'series', title: '' },
        rules: [
          ...(etaC ? [{ x: etaC, label: 'η_c = 2/s_GF' }] : []),
          { y: minL1.l1, label: 'min-ℓ1 interpolator' },
        ],
        title: 'Diagonal network: ‖β‖₁ vs η',
      }),
    ),
    await figure(
      context.figuresDir,
      'dln-onepoint-error',
      'Generalisation error ‖β − β*‖² vs η (flow-aligned runs sit at the flow limit’s error), with the min-ℓ1 and min-sharpness interpolators marked.',
      lineChartSpec({
        data: rows.map((r) => ({ eta: r.eta, value: r.error, series: 'GD limit' })),
        x: { field: 'eta', title: 'learning rate η', log: true },
        y: { field: 'value', title: '‖β − β*‖²', log: true },
        series: { field: 'series', title: '' },
        rules: [
          { y: errorOf(minL1.beta), label: 'min-ℓ1' },
          { y: errorOf(minS.beta), label: 'min-sharpness' },
          ...(etaC ? [{ x: etaC, label: 'η_c' }] : []),
        ],
        title: 'Diagonal network: generalisation vs η',
      }),
    ),
  ];
  const table: ReportTable = {
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
    rows,
  };
  const facts = [
    `Theory: β_GF = (${[...limit.beta].map((b) => formatNumber(b)).join(', ')}), S(β_GF) = ${formatNumber(limit.sharpness)}; s_GF (to loss ${formatNumber(flowLoss)}) = ${formatNumber(theory.sGF)}, η_c = ${formatNumber(theory.etaC)}; stability edge η_max = ${formatNumber(etaMax)}.`,
    `Min-ℓ1 interpolator ‖β‖₁ = ${formatNumber(minL1.l1)}, S = ${formatNumber(minL1.sharpness)}, error ${formatNumber(errorOf(minL1.beta))}; min-sharpness interpolator ‖β‖₁ = ${formatNumber(minS.l1)}, S = ${formatNumber(minS.sharpness)}, error ${formatNumber(errorOf(minS.beta))}.`,
    `Runs: ${statusCounts(point.runs)}. Lab: s_GF = ${formatNumber(sGF)}, η_c = ${formatNumber(etaC)}, observed break ${breakEta === null ? 'none' : `η = ${formatNumber(breakEta)}`}; best error ${formatNumber(best?.error)} at η = ${formatNumber(best?.eta)}.`,
  ];
  return {
    sections: [
      {
        heading: 'Diagonal network, one data point (dln-onepoint)',
        text: [String(data.manifest.description ?? ''), ...facts],
        verdicts,
        figures: figs,
        tables: [table],
      },
    ],
    verdicts,
    lines: facts,
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
