import type { ExperimentInput } from '@biaslab/lab';
import { lineChartSpec, verdict } from '@biaslab/report';
import { formatNumber } from '@biaslab/results';
import type { Verdict } from '@biaslab/report';
import { convergedRuns, readPlan, statusCounts } from './experiment-data';
import { figure } from './figure';
import { imageDataset, imageDatasetFact } from './image-data';
import type { AnalysisContext, Reproduction, ReproductionOutcome } from './reproduction';

/**
 * The small default trains on the 8×8 digits (64 inputs) whatever else is installed: a width effect on the
 * sharpness shows once the hidden widths exceed the input dimension (below it the first layer's block, whose
 * scale is set by ‖x‖², dominates the Hessian under either parametrisation), and with 64 inputs widths 32 to
 * 512 straddle it at a cost of minutes.
 */
const SMALL: Sizes = {
  dataset: 'digits',
  train: 256,
  widths: [32, 128, 512],
  lrs: { from: 0.005, to: 0.5, count: 7 },
  epsilon: 0.05,
  maxSteps: 3000,
};
const FULL = {
  dataset: undefined as string | undefined,
  train: 5000,
  widths: [64, 128, 256, 512, 1024],
  lrs: { from: 0.005, to: 0.5, count: 16 },
  epsilon: 0.05,
  maxSteps: 100_000,
};
type Sizes = typeof FULL;

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

/** A run pinned at the stability threshold: S·η/2 at least this (the lower end of the EoS band [0.8, 1.1]). */
const EOS_STABILITY = 0.8;

/** The across-width spread at one η: max S / min S over the widths, and whether every run was below the EoS band. */
export interface WidthSpread {
  readonly eta: number;
  readonly spread: number;
  /** Every width ended with S·η/2 < 0.8: none is pinned at 2/η, so S is the width's flow-aligned value. */
  readonly aligned: boolean;
}

/**
 * The spread max S / min S across widths at each η where every width converged (`widths` = how many widths
 * the grid has), flagged `aligned` when every width ended below the EoS band (S·η/2 < 0.8). Only aligned η
 * test width-dependence: above η_c every width's S is pinned at ≈ 2/η by the Edge of Stability, whatever the
 * parametrisation, so the spread there is ≈ 1 under both.
 */
export function widthSpreads(
  runs: readonly { eta: number; status: string; sharpness: number | null }[][],
): WidthSpread[] {
  const byEta = new Map<number, number[]>();
  for (const widthRuns of runs)
    for (const r of widthRuns)
      if (r.status === 'converged' && r.sharpness !== null)
        byEta.set(r.eta, [...(byEta.get(r.eta) ?? []), r.sharpness]);
  return [...byEta]
    .filter(([, s]) => s.length === runs.length)
    .map(([eta, s]) => ({
      eta,
      spread: Math.max(...s) / Math.min(...s),
      aligned: s.every((v) => (v * eta) / 2 < EOS_STABILITY),
    }))
    .sort((a, b) => a.eta - b.eta);
}

function spreads(dir: string, id: string): WidthSpread[] {
  return widthSpreads(readPlan(dir, id).points.map((p) => convergedRuns(p)));
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
  const plateau = (v: readonly WidthSpread[]) => v.filter((s) => s.aligned).map((s) => s.spread);
  const verdicts: Verdict[] = [
    verdict(
      'median across-width spread of final S (max/min over widths at one η) on the flow-aligned plateau ' +
        '(η where every width ended with S·η/2 < 0.8) is smaller under μP than under standard',
      plateau(standard).length && plateau(mup).length
        ? [{ standard: median(plateau(standard)), mup: median(plateau(mup)) }]
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
  const describeSpreads = (name: string, id: string, v: readonly WidthSpread[]) => {
    const aligned = plateau(v);
    const pinned = v.filter((s) => !s.aligned).map((s) => s.spread);
    return (
      `${name}: ${statusCounts(readPlan(context.dir, id).points.flatMap((p) => p.runs))}; median spread ` +
      `${formatNumber(aligned.length ? median(aligned) : null)} over ${aligned.length} flow-aligned η ` +
      `(${v
        .filter((s) => s.aligned)
        .map((s) => `${formatNumber(s.eta)}: ${formatNumber(s.spread)}`)
        .join(', ')}), ` +
      `${formatNumber(pinned.length ? median(pinned) : null)} over ${pinned.length} η where some width is at the EoS ` +
      '(pinned at ≈ 2/η, so ≈ 1 under any parametrisation)'
    );
  };
  const lines = [describeSpreads('standard', 'standard', standard), describeSpreads('μP', 'mup', mup)];
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
    const dataset = s.dataset ?? String(facts.dataset ?? 'digits');
    const text = (p: string) =>
      `fc-tanh with two hidden layers of width ${s.widths.join('/')} (${p}) on the first ${s.train} ${dataset} images, MSE, float32, ${s.lrs.count} η in [${s.lrs.from}, ${s.lrs.to}], ε = ${s.epsilon} (K = 1), cap ${s.maxSteps} steps, no flow`;
    return [
      { id: 'standard', config: widthConfig(s, dataset, 'standard'), description: text('standard') },
      { id: 'mup', config: widthConfig(s, dataset, 'mup'), description: text('μP') },
    ];
  },
  analyse: analyseWidthMup,
};
