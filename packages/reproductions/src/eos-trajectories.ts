import type { ExperimentInput } from '@biaslab/lab';
import { sharpnessTrajectoriesSpec, verdict } from '@biaslab/report';
import { formatNumber } from '@biaslab/results';
import type { ExperimentRun, Verdict } from '@biaslab/report';
import { readPlan, statusCounts } from './experiment-data';
import { figure } from './figure';
import { imageDataset, imageDatasetFact } from './image-data';
import type { AnalysisContext, Reproduction, ReproductionOutcome } from './reproduction';

const SMALL = {
  train: 256,
  widths: [64, 64],
  lrs: [0.015, 0.025, 0.035, 0.045],
  every: 20,
  epsilon: 0.02,
  maxSteps: 1500,
};
const FULL = {
  train: 5000,
  widths: [200, 200],
  lrs: [0.01, 0.02, 0.04, 0.067, 0.1],
  every: 20,
  epsilon: 0.01,
  maxSteps: 20_000,
};
type Sizes = typeof SMALL;

/** Edge-of-Stability tolerance band for the trajectories: S·η/2 within it counts as "at the edge". */
const EDGE_BAND: readonly [number, number] = [0.7, 1.3];

/** fc-tanh with MSE at a few η, sharpness (Lanczos, warm-started) every few steps. */
export function eosConfig(sizes: Sizes, dataset: string): ExperimentInput {
  return {
    model: { name: 'mlp', options: { widths: [...sizes.widths], activation: 'tanh' } },
    dataset: imageDataset(dataset, sizes.train, 0),
    loss: 'mse',
    metrics: ['l1', 'sharpness'],
    every: sizes.every,
    dtype: 'float32',
    seed: 0,
    stop: { epsilon: sizes.epsilon, patience: 1, maxSteps: sizes.maxSteps },
    lrs: [...sizes.lrs],
    flow: { enabled: false },
  };
}

function series(run: ExperimentRun): { step: number; s: number }[] {
  return run.series.flatMap((row) => {
    const s = row.metrics?.sharpness;
    return typeof s === 'number' ? [{ step: row.step, s: Math.abs(s) }] : [];
  });
}

/** One run's logged sharpness and when it first reached the edge (S·η/2 ≥ 0.9). */
interface EdgeTrace {
  readonly run: ExperimentRun;
  readonly s: { step: number; s: number }[];
  /** Index into `s` of the first step at the edge, −1 when it never got there. */
  readonly first: number;
  readonly reached: boolean;
  /** Share of the logged steps from `first` on with S·η/2 inside the edge band. */
  readonly inBandShare: number;
}

function edgeTrace(run: ExperimentRun): EdgeTrace {
  const s = series(run);
  const first = s.findIndex((p) => (p.s * run.eta) / 2 >= 0.9);
  const after = first < 0 ? [] : s.slice(first);
  const inBand = after.filter(
    (p) => (p.s * run.eta) / 2 >= EDGE_BAND[0] && (p.s * run.eta) / 2 <= EDGE_BAND[1],
  ).length;
  return { run, s, first, reached: first >= 0, inBandShare: after.length ? inBand / after.length : 0 };
}

function eosVerdicts(traces: readonly EdgeTrace[]): Verdict[] {
  return [
    verdict(
      'progressive sharpening: S rises during training (max S ≥ 1.2 × S at step 0) at every η',
      traces.filter((t) => t.s.length >= 2),
      (t) => Math.max(...t.s.map((p) => p.s)) >= 1.2 * t.s[0].s,
      (t) => `η = ${formatNumber(t.run.eta)}`,
    ),
    verdict(
      'S reaches 2/η (S·η/2 ≥ 0.9 at some logged step) at the largest η',
      traces.slice(-1),
      (t) => t.reached,
      (t) => `η = ${formatNumber(t.run.eta)}`,
    ),
    verdict(
      `once at the edge, S·η/2 stays within [${EDGE_BAND.join(', ')}] for ≥ 80% of the later logged steps`,
      traces.filter((t) => t.reached),
      (t) => t.inBandShare >= 0.8,
      (t) => `η = ${formatNumber(t.run.eta)} (${formatNumber(100 * t.inBandShare, 3)}%)`,
    ),
  ];
}

/** Progressive sharpening up to 2/η, then hovering at the edge, read from the logged sharpness series. */
export async function analyseEos(context: AnalysisContext): Promise<ReproductionOutcome> {
  const data = readPlan(context.dir, 'sweep');
  const runs = data.points[0].runs.filter((r) => r.status !== 'diverged').sort((a, b) => a.eta - b.eta);
  const traces = runs.map(edgeTrace);
  const verdicts = eosVerdicts(traces);
  const fig = await figure(
    context.figuresDir,
    'eos-trajectories',
    'Sharpness along training for several η, each against its 2/η.',
    sharpnessTrajectoriesSpec({
      series: traces.flatMap((t) => t.s.map((p) => ({ eta: t.run.eta, step: p.step, sharpness: p.s }))),
    }),
  );
  const lines = traces.map(
    (t) =>
      `η = ${formatNumber(t.run.eta)} (${t.run.status}, ${t.run.steps} steps): S from ${formatNumber(t.s[0]?.s)} to max ${formatNumber(Math.max(...t.s.map((p) => p.s)))} (2/η = ${formatNumber(2 / t.run.eta)})${t.reached ? `, at the edge from step ${t.s[t.first].step}` : ''}`,
  );
  return {
    sections: [
      {
        heading: 'Edge-of-Stability trajectories (eos-trajectories)',
        text: [
          data.manifest.description ?? '',
          `Runs: ${statusCounts(data.points[0].runs)}.`,
          ...lines,
        ],
        verdicts,
        figures: [fig],
      },
    ],
    verdicts,
    lines,
  };
}

/** `eos-trajectories`: sharpness along training against 2/η. */
export const eosTrajectories: Reproduction = {
  name: 'eos-trajectories',
  title: 'Edge-of-Stability trajectories',
  claim:
    'Along GD, sharpness rises (progressive sharpening) until it reaches 2/η, then hovers there (Cohen et al. 2021).',
  facts: () => imageDatasetFact(),
  experiments: (full, facts) => {
    const s = full ? FULL : SMALL;
    const dataset = String(facts.dataset ?? 'digits');
    return [
      {
        id: 'sweep',
        config: eosConfig(s, dataset),
        description: `fc-tanh ${dataset === 'digits' ? 64 : 784}-${s.widths.join('-')}-10 on the first ${s.train} ${dataset} images, MSE, float32, η ∈ {${s.lrs.join(', ')}}, S every ${s.every} steps, ε = ${s.epsilon} (K = 1), cap ${s.maxSteps} steps`,
      },
    ];
  },
  analyse: analyseEos,
};
