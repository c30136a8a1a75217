import { formatNumber } from '@biaslab/results';
import type { ExperimentManifest } from '@biaslab/results';
import type { ExperimentRun, FlowReference } from './experiment-dir';
import type { ReportColumn, ReportTable } from './report-html';

/** Candidate columns of the runs table; a column appears only when some run has a value for it. */
const RUN_COLUMNS: readonly (ReportColumn & { readonly value: (r: ExperimentRun) => unknown })[] = [
  { key: 'eta', label: 'η', value: (r) => r.eta },
  { key: 'status', label: 'status', value: (r) => r.status },
  { key: 'steps', label: 'steps', value: (r) => r.steps },
  { key: 'sharpness', label: 'S', value: (r) => r.sharpness },
  { key: 'twoOverEta', label: '2/η', value: (r) => 2 / r.eta },
  {
    key: 'stability',
    label: 'S·η/2',
    value: (r) => (r.sharpness === null ? null : (r.sharpness * r.eta) / 2),
  },
  { key: 'thetaL1', label: '‖θ‖₁', value: (r) => r.thetaL1 },
  { key: 'thetaL2', label: '‖θ‖₂', value: (r) => r.thetaL2 },
  { key: 'betaL1', label: '‖β‖₁', value: (r) => r.betaL1 },
  { key: 'loss', label: 'train loss', value: (r) => r.loss },
  { key: 'testLoss', label: 'test loss', value: (r) => r.testLoss },
  { key: 'testError', label: 'test error', value: (r) => r.testError },
  { key: 'testAccuracy', label: 'test acc.', value: (r) => r.testAccuracy },
  { key: 'seed', label: 'seed', value: (r) => r.seed },
];

/**
 * One row per run (η, status, steps, S, 2/η, S·η/2, norms, losses, errors), in η order. Numbers of diverged
 * runs are blow-up values and are shown as such; the status column says so.
 */
export function runsTable(runs: readonly ExperimentRun[], testErrorLabel = 'test error'): ReportTable {
  const seeds = new Set(runs.map((r) => r.seed));
  const columns = RUN_COLUMNS.filter((c) => runs.some((r) => c.value(r) !== null && c.value(r) !== undefined))
    .filter((c) => c.key !== 'seed' || seeds.size > 1)
    .map((c) => (c.key === 'testError' ? { ...c, label: testErrorLabel } : c));
  return {
    caption: 'Final values per run (— = not measured or not finite)',
    columns: columns.map(({ key, label }) => ({ key, label })),
    rows: runs.map((r) => Object.fromEntries(columns.map((c) => [c.key, c.value(r) ?? null]))),
  };
}

/** The gradient-flow reference as a one-row table. */
export function flowTable(flow: FlowReference): ReportTable {
  const f = flow.final;
  return {
    caption: `Gradient-flow reference (${flow.id}): s_GF = max S along the flow until L < ε; η_c = 2/s_GF`,
    columns: [
      { key: 'status', label: 'status' },
      { key: 'sGF', label: 's_GF' },
      { key: 'etaC', label: 'η_c = 2/s_GF' },
      { key: 'tEps', label: 't_ε' },
      { key: 'epsilon', label: 'ε' },
      { key: 'steps', label: 'steps' },
      { key: 'thetaL1', label: '‖θ_GF‖₁' },
      { key: 'betaL1', label: '‖β_GF‖₁' },
      { key: 'reason', label: 'stop', format: (v) => (typeof v === 'string' ? v : '—') },
    ],
    rows: [
      {
        status: flow.status,
        sGF: flow.sGF,
        etaC: flow.etaC,
        tEps: f.tEps,
        epsilon: f.epsilon,
        steps: f.steps,
        thetaL1: f.thetaL1,
        betaL1: f.betaL1 ?? null,
        reason: f.reason,
      },
    ],
  };
}

/** A one-line description of an experiment's configuration from its manifest. */
export function describeConfig(manifest: ExperimentManifest): string {
  const { config } = manifest;
  const { stop } = config;
  const parts = [
    `model ${config.model.name}`,
    `dataset ${config.dataset.name}`,
    `optimizer ${config.optimizer.name}`,
    `loss ${manifest.loss}`,
    `dtype ${manifest.dtype}`,
    `seed ${manifest.seed}`,
    `stop: L < ε = ${formatNumber(stop.epsilon)} for ${stop.patience} steps, cap ${stop.maxSteps}`,
  ];
  return `${parts.join(' · ')}.`;
}
