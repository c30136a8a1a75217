import { BiaslabError, LOSS_NORMALISATION } from '@biaslab/core';
import type { ResolvedExperiment } from './experiment';
import { prepareExperiment } from './prepare';
import type { ObjectiveFactory, PreparedExperiment } from './prepare';
import { ResultsStore } from './results-store';
import { gradientFlow } from './gradient-flow';
import type { RunStatus } from './stop-rules';
import { sweep } from './sweep';
import type { SummaryRow } from './summary';
import { machineInfo, packageVersions } from './environment';
import { toJson } from './json-lines';

/** The gradient-flow reference as reported: s_GF, t_ε and η_c = 2/s_GF. */
export interface FlowSummary {
  readonly type: 'final';
  readonly status: RunStatus;
  readonly reason: string;
  readonly sGF: number;
  readonly etaC: number;
  readonly tEps: number | null;
  readonly epsilon: number;
  readonly steps: number;
  readonly loss: number | null;
  readonly thetaL1: number;
  readonly betaL1?: number;
  readonly seconds: number;
}

/** What `runExperiment` returns. */
export interface ExperimentResult {
  readonly manifest: Record<string, unknown>;
  readonly flow?: FlowSummary;
  readonly rows: SummaryRow[];
  readonly initialLoss: number;
  readonly divergence: number;
  /** The experiment directory, when results were written. */
  readonly out?: string;
  readonly seconds: number;
}

/** Options of `runExperiment`. */
export interface RunExperimentOptions {
  /** Experiment directory; nothing is written when absent. */
  readonly out?: string;
  /** Objective factory (default: @biaslab/runtime's `createObjective`). */
  readonly createObjective?: ObjectiveFactory;
  /** Extra manifest entries (the CLI adds its plugins and package versions). */
  readonly manifest?: Record<string, unknown>;
  readonly onFlowEnd?: (flow: FlowSummary, resumed: boolean) => void;
  readonly onRunEnd?: (row: SummaryRow, resumed: boolean) => void;
}

const LAB_PACKAGES = ['@biaslab/core', '@biaslab/runtime', '@biaslab/lab'];

/**
 * Runs a resolved experiment: compiles it once, integrates the gradient-flow reference (when enabled), then
 * trains at every learning rate from the same θ₀, writing manifest, flow, runs and summary to `out`. Rerun
 * with the same `out` and configuration, it skips whatever already has a final row.
 */
export async function runExperiment(
  resolved: ResolvedExperiment,
  options: RunExperimentOptions = {},
): Promise<ExperimentResult> {
  const started = performance.now();
  const { config } = resolved;
  const store = options.out ? ResultsStore.open(options.out) : undefined;
  const existing = store?.readManifest();
  if (existing && toJson(existing.config) !== toJson(config)) {
    throw new BiaslabError(
      'RESULTS',
      `\`${options.out}\` holds results of a different experiment configuration. Choose a new \`out\` directory ` +
        'or remove the old one.',
    );
  }
  const manifest: Record<string, unknown> = {
    biaslab: 'experiment',
    config,
    learningRates: resolved.lrs,
    seed: config.seed,
    dtype: config.dtype,
    loss: config.loss,
    lossNormalisation: LOSS_NORMALISATION[config.loss],
    machine: machineInfo(),
    ...options.manifest,
    versions: { ...packageVersions(LAB_PACKAGES), ...(options.manifest?.versions as object | undefined) },
    startedAt: (existing?.startedAt as string | undefined) ?? new Date().toISOString(),
    ...(existing
      ? { resumedAt: [...((existing.resumedAt as string[] | undefined) ?? []), new Date().toISOString()] }
      : {}),
  };
  store?.writeManifest(manifest);

  const prepared = await prepareExperiment(resolved, options.createObjective);
  let append: ((row: unknown) => void) | undefined;
  try {
    const flow = resolved.flowEnabled ? await referenceFlow(prepared, store, options.onFlowEnd) : undefined;
    const summarised = new Set(store?.readSummary().map((row) => row.index) ?? []);
    const outcome = await sweep({
      oracle: prepared.train,
      createOptimizer: prepared.createOptimizer,
      theta0: prepared.theta0,
      etas: resolved.lrs,
      stop: config.stop,
      every: config.every,
      seed: config.seed,
      createMetrics: resolved.metrics.length > 0 ? prepared.createMetrics : undefined,
      predictor: prepared.model.predictor ? (theta) => prepared.model.predictor!(theta) : undefined,
      finished: store
        ? (index, eta) => {
            const final = store.readFinal(store.runPath(index, eta));
            if (!final) return undefined;
            const { theta: _theta, ...rest } = final;
            return { ...rest, type: 'summary' } as unknown as SummaryRow;
          }
        : undefined,
      onRunStart: store
        ? (index, eta) => {
            append = store.begin(store.runPath(index, eta));
          }
        : undefined,
      onSeries: store ? (_index, _eta, row) => append?.(row) : undefined,
      onRunEnd: (row, result) => {
        if (store && result) append?.({ ...row, type: 'final', theta: result.theta });
        if (store && !summarised.has(row.index)) store.appendSummary(row);
        options.onRunEnd?.(row, result === undefined);
      },
    });
    return {
      manifest,
      flow,
      rows: outcome.rows,
      initialLoss: outcome.initialLoss,
      divergence: outcome.divergence,
      out: options.out,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await prepared.dispose();
  }
}

async function referenceFlow(
  prepared: PreparedExperiment,
  store: ResultsStore | undefined,
  onFlowEnd: RunExperimentOptions['onFlowEnd'],
): Promise<FlowSummary> {
  const { config } = prepared.resolved;
  const previous = store?.readFinal(store.flowPath);
  if (previous) {
    const summary = previous as unknown as FlowSummary;
    onFlowEnd?.(summary, true);
    return summary;
  }
  if (!prepared.sharpness) {
    throw new BiaslabError(
      'INTERNAL',
      'The gradient-flow reference is enabled but no sharpness metric was resolved',
    );
  }
  const write = store?.begin(store.flowPath);
  const epsilon = config.flow.epsilon ?? config.stop.epsilon;
  const result = await gradientFlow({
    oracle: prepared.train,
    theta0: prepared.theta0,
    sharpness: prepared.sharpness,
    settings: { ...config.flow, epsilon },
    onRow: write,
  });
  const beta = prepared.model.predictor?.(result.theta);
  const summary: FlowSummary = {
    type: 'final',
    status: result.status,
    reason: result.reason,
    sGF: result.sGF,
    etaC: result.etaC,
    tEps: result.tEps,
    epsilon,
    steps: result.steps,
    loss: Number.isFinite(result.loss) ? result.loss : null,
    thetaL1: result.theta.reduce((s, v) => s + Math.abs(v), 0),
    ...(beta ? { betaL1: beta.reduce((s, v) => s + Math.abs(v), 0) } : {}),
    seconds: result.seconds,
  };
  write?.({ ...summary, theta: result.theta });
  onFlowEnd?.(summary, false);
  return summary;
}
