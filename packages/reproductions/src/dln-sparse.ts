import { Rng, parseOptions } from '@biaslab/core';
import type { Registry } from '@biaslab/core';
import type { ExperimentInput } from '@biaslab/lab';
import { lineChartSpec, verdict } from '@biaslab/report';
import type { ExperimentData, ReportFigure, Verdict } from '@biaslab/report';
import { formatNumber } from '@biaslab/results';
import { minL1Interpolator, minSharpnessInterpolator } from '@biaslab/theory';
import { breakPointRuleOf } from './break-point';
import { convergedRuns, readPlan } from './experiment-data';
import { figure } from './figure';
import { analyseSparseAlpha } from './dln-sparse-point';
import type { SparseAlpha } from './dln-sparse-point';
import type { AnalysisContext, ExperimentPlan, Reproduction, ReproductionOutcome } from './reproduction';

const SMALL = { n: 10, d: 30, k: 3, alphas: [0.01, 0.1, 0.5], count: 12, epsilon: 1e-8, maxSteps: 20_000 };
const FULL = {
  n: 40,
  d: 200,
  k: 5,
  alphas: [0.001, 0.01, 0.1, 0.3, 1],
  count: 30,
  epsilon: 1e-10,
  maxSteps: 500_000,
};
type Sizes = typeof SMALL;

const sizesOf = (full: boolean): Sizes => (full ? FULL : SMALL);

function dataOptions(sizes: Sizes) {
  return { n: sizes.n, d: sizes.d, k: sizes.k, noise: 0, nTest: 500, signs: 'positive', scale: 1 };
}

/** Sparse regression (positive k-sparse β*) fitted by the shared diagonal network, a grid over α. */
export function sparseConfig(sizes: Sizes): ExperimentInput {
  return {
    model: { name: 'dln', options: { parametrization: 'shared' } },
    dataset: { name: 'sparse-regression', options: dataOptions(sizes) },
    loss: 'mse',
    metrics: ['l1', 'beta-l1', 'sharpness', 'test-error'],
    every: 0,
    dtype: 'float64',
    seed: 0,
    stop: { epsilon: sizes.epsilon, patience: 100, maxSteps: sizes.maxSteps },
    lrGrid: { from: 0.003, to: 1, count: sizes.count, spacing: 'log' },
    refine: { etaC: 3, edge: 3 },
    grid: { 'model.options.alpha': [...sizes.alphas] },
  };
}

/**
 * The training design X (n × d rows) and targets y the lab trained on: the same dataset component, options
 * and random stream (`dataset`, forked from the seed) as the lab's.
 */
async function trainingData(
  registry: Registry,
  sizes: Sizes,
  seed: number,
): Promise<{ X: number[][]; y: number[] }> {
  const dataset = registry.get('dataset', 'sparse-regression');
  const options = parseOptions(dataset.options, dataOptions(sizes), 'dataset/sparse-regression');
  const data = await dataset.load(options, { rng: new Rng(seed).fork('dataset') });
  const { x, y } = data.train;
  const [n, d] = x.shape;
  const X = Array.from({ length: n }, (_, i) => Array.from(x.data.subarray(i * d, (i + 1) * d)));
  return { X, y: Array.from(y.data) };
}

/** Sparse regression: the regimes per α, beside the LP min-ℓ1 and the min-sharpness interpolators. */
export async function analyseSparse(context: AnalysisContext): Promise<ReproductionOutcome> {
  const sizes = sizesOf(context.full);
  const data = readPlan(context.dir, 'sweep');
  const { seed } = data.manifest.config;
  const { X, y } = await trainingData(context.registry, sizes, seed);
  const lp = await minL1Interpolator(X, y, { nonnegative: true });
  const flat = await minSharpnessInterpolator(X, y, 'shared', { tolerance: 1e-6 });
  const refs = { lpL1: lp.l1, flatLowerBound: flat.lowerBound, rule: breakPointRuleOf(data.manifest) };
  const alphas: SparseAlpha[] = [];
  for (const point of data.points) alphas.push(await analyseSparseAlpha(context.figuresDir, point, refs));
  const lines = [
    `min-ℓ1 interpolator (LP, β ≥ 0): ‖β‖₁ = ${formatNumber(lp.l1)}; min-sharpness interpolator: S = ${formatNumber(flat.sharpness)} (certified ≥ ${formatNumber(flat.lowerBound)}), so no interpolator is stable beyond η = ${formatNumber(2 / flat.lowerBound)}`,
    ...alphas.map((a) => a.line),
  ];
  const alphaVerdict = flowL1Verdict(alphas, lp.l1);
  const verdicts: Verdict[] = [...alphas.flatMap((a) => a.verdicts), alphaVerdict];
  return {
    sections: [
      {
        heading: 'Diagonal network, sparse regression (dln-sparse)',
        text: [data.manifest.description ?? '', ...lines],
        verdicts: [alphaVerdict],
        figures: [await errorFigure(context.figuresDir, data)],
      },
      ...alphas.map((a) => a.section),
    ],
    verdicts,
    lines,
  };
}

/** The flow limit's ‖β‖₁ grows with α, from ≈ the LP minimum at the smallest α. */
function flowL1Verdict(alphas: readonly SparseAlpha[], lpL1: number): Verdict {
  const flowL1 = alphas
    .flatMap((a) => (a.flowL1 === null ? [] : [{ alpha: a.alpha, l1: a.flowL1 }]))
    .sort((a, b) => a.alpha - b.alpha);
  return verdict(
    'the flow limit’s ‖β‖₁ grows with α, from ≈ the LP minimum at the smallest α (within 5%)',
    flowL1.length >= 2 ? [flowL1] : [],
    (rows) => rows.every((r, i) => i === 0 || r.l1 >= rows[i - 1].l1) && rows[0].l1 <= lpL1 * 1.05,
    (rows) => rows.map((r) => `α = ${r.alpha}: ${formatNumber(r.l1)}`).join(', '),
  );
}

function errorFigure(figuresDir: string, data: ExperimentData): Promise<ReportFigure> {
  const errors = data.points.flatMap((p) =>
    convergedRuns(p).map((r) => ({
      eta: r.eta,
      value: r.testError ?? null,
      series: `α = ${p.grid['model.options.alpha']}`,
    })),
  );
  return figure(
    figuresDir,
    'sparse-error',
    '‖β − β*‖² vs η for each α.',
    lineChartSpec({
      data: errors,
      x: { field: 'eta', title: 'learning rate η', log: true },
      y: { field: 'value', title: '‖β − β*‖²', log: true },
      series: { field: 'series', title: 'init scale' },
      title: 'Sparse regression: generalisation vs η and α',
    }),
  );
}

/** `dln-sparse`: several data points, the same picture per init scale α. */
export const dlnSparse: Reproduction = {
  name: 'dln-sparse',
  title: 'Diagonal network, sparse regression',
  claim:
    'With several data points the regimes persist for every α; small α selects ≈ the min-ℓ1 (LP) interpolator, and no GD limit is flatter than the min-sharpness one.',
  experiments: (full): ExperimentPlan[] => {
    const s = sizesOf(full);
    return [
      {
        id: 'sweep',
        config: sparseConfig(s),
        description: `shared diagonal network on sparse regression n = ${s.n}, d = ${s.d}, k = ${s.k} (positive β*, no noise), α ∈ {${s.alphas.join(', ')}}, float64, ${s.count} η in [0.003, 1] + 3 around η_c + 3 edge bisections, ε = ${s.epsilon} for 100 steps, cap ${s.maxSteps} steps`,
      },
    ];
  },
  analyse: analyseSparse,
};
