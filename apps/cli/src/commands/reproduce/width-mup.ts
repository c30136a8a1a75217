import type { ExperimentInput } from '@biaslab/lab';
import { formatNumber, lineChartSpec, verdict } from '@biaslab/report';
import type { Verdict } from '@biaslab/report';
import { convergedRuns, figure, readPlan, statusCounts } from './analysis-helpers';
import { imageDataset, imageDatasetFact } from './image-data';
import type { AnalysisContext, Reproduction, ReproductionOutcome } from './reproduction';

const SMALL = {
  train: 128,
  widths: [32, 64, 128],
  lrs: { from: 0.01, to: 0.3, count: 6 },
  epsilon: 0.05,
  maxSteps: 3000,
};
const FULL = {
  train: 5000,
  widths: [64, 128, 256, 512, 1024],
  lrs: { from: 0.005, to: 0.5, count: 16 },
  epsilon: 0.05,
  maxSteps: 100_000,
};
type Sizes = typeof SMALL;

/** fc-tanh of several widths under one parametrisation: a grid over the hidden widths. */
function widthConfig(sizes: Sizes, dataset: string, parametrization: 'standard' | 'mup'): ExperimentInput {
  return {
    model: { name: 'mlp', options: { activation: 'tanh', parametrization } },
    dataset: imageDataset(dataset, sizes.train, 0),
    loss: 'mse',
    metrics: ['l1', 'sharpness'],
    every: 0,
    dtype: 'float32',
    seed: 0,
    stop: { epsilon: sizes.epsilon, patience: 1, maxSteps: sizes.maxSteps },
    lrGrid: { ...sizes.lrs, spacing: 'log' },
    flow: { enabled: false },
    grid: { 'model.options.widths': sizes.widths.map((w) => [w, w]) },
  };
}

/** The spread max S / min S across widths at each η where every width converged, per parametrisation. */
function spreads(dir: string, id: string): { eta: number; spread: number }[] {
  const points = readPlan(dir, id).points;
  const byEta = new Map<number, number[]>();
  for (const p of points)
    for (const r of convergedRuns(p))
      if (r.sharpness !== null) byEta.set(r.eta, [...(byEta.get(r.eta) ?? []), r.sharpness]);
  return [...byEta]
    .filter(([, s]) => s.length === points.length)
    .map(([eta, s]) => ({ eta, spread: Math.max(...s) / Math.min(...s) }))
    .sort((a, b) => a.eta - b.eta);
}

const median = (v: readonly number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];

/** Sharpness vs η across widths: under μP the curves should nearly coincide, under standard they move. */
export async function analyseWidthMup(context: AnalysisContext): Promise<ReproductionOutcome> {
  const rows = (['standard', 'mup'] as const).flatMap((param) =>
    readPlan(context.dir, param).points.flatMap((p) =>
      p.runs
        .filter((r) => r.status === 'converged')
        .map((r) => ({
          eta: r.eta,
          value: r.sharpness,
          series: `${param}, width ${JSON.stringify(p.grid['model.options.widths'])}`,
        })),
    ),
  );
  const standard = spreads(context.dir, 'standard');
  const mup = spreads(context.dir, 'mup');
  const verdicts: Verdict[] = [
    verdict(
      'median across-width spread of final S (max/min over widths at one η) is smaller under μP than under standard',
      standard.length && mup.length
        ? [{ standard: median(standard.map((s) => s.spread)), mup: median(mup.map((s) => s.spread)) }]
        : [],
      (r) => r.mup < r.standard,
      (r) => `μP ${formatNumber(r.mup)} vs standard ${formatNumber(r.standard)}`,
    ),
  ];
  const fig = await figure(
    context.figuresDir,
    'width-mup',
    'Final S vs η for several widths, standard and μP parametrisations.',
    lineChartSpec({
      data: rows,
      x: { field: 'eta', title: 'learning rate η', log: true },
      y: { field: 'value', title: 'final sharpness S', log: true },
      series: { field: 'series', title: 'parametrisation, widths' },
      title: 'Sharpness vs η across widths: standard vs μP',
    }),
  );
  const lines = [
    `standard: ${statusCounts(readPlan(context.dir, 'standard').points.flatMap((p) => p.runs))}; median spread ${formatNumber(standard.length ? median(standard.map((s) => s.spread)) : null)} over ${standard.length} η`,
    `μP: ${statusCounts(readPlan(context.dir, 'mup').points.flatMap((p) => p.runs))}; median spread ${formatNumber(mup.length ? median(mup.map((s) => s.spread)) : null)} over ${mup.length} η`,
  ];
  return {
    sections: [{ heading: 'Width and μP (width-mup)', text: lines, verdicts, figures: [fig] }],
    verdicts,
    lines,
  };
}

/** `width-mup`: sharpness vs η across widths under μP and standard parametrisation. */
export const widthMup: Reproduction = {
  name: 'width-mup',
  title: 'Width under μP',
  claim:
    'Under μP the final-sharpness curves over η are nearly width-independent; under the standard parametrisation they are not.',
  facts: () => imageDatasetFact(),
  experiments: (full, facts) => {
    const s = full ? FULL : SMALL;
    const dataset = String(facts.dataset ?? 'digits');
    const text = (p: string) =>
      `fc-tanh with two hidden layers of width ${s.widths.join('/')} (${p}) on the first ${s.train} ${dataset} images, MSE, float32, ${s.lrs.count} η in [${s.lrs.from}, ${s.lrs.to}], ε = ${s.epsilon} (K = 1), cap ${s.maxSteps} steps, no flow`;
    return [
      { id: 'standard', config: widthConfig(s, dataset, 'standard'), description: text('standard') },
      { id: 'mup', config: widthConfig(s, dataset, 'mup'), description: text('μP') },
    ];
  },
  analyse: analyseWidthMup,
};
