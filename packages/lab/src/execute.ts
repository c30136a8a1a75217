import { availableParallelism } from 'node:os';
import { BiaslabError, LOSS_NORMALISATION } from '@biaslab/core';
import type { ResolvedExperiment, ResolvedPoint } from './resolve-experiment';
import type { ObjectiveFactory } from './prepare';
import { ResultsStore, toJson } from '@biaslab/results';
import type { ExperimentManifest, FlowSummary, ManifestExtras, SummaryRow } from '@biaslab/results';
import { machineInfo, packageVersions } from './environment';
import { LocalExecutor, TaskRunner } from './task-runner';
import { WorkerPool } from './worker-pool';
import type { WorkerScript } from './worker-pool';
import type { FileTask, RunTask, TaskExecutor, TaskProgress } from './tasks';
import { experimentLayout } from './experiment-layout';
import type { ExperimentLayout } from './experiment-layout';
import { Scheduler } from './scheduler';
import { CompositeExecutor } from './composite-executor';

/** One grid point of a finished (or interrupted) experiment. */
export interface PointResult {
  readonly index: number;
  readonly label: string;
  readonly grid: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly flow?: FlowSummary;
  /** The point's runs, by η. */
  readonly rows: readonly SummaryRow[];
}

/** What `runExperiment` returns. */
export interface ExperimentResult {
  readonly manifest: ExperimentManifest;
  /** The flow of the first point (the only one without a grid). */
  readonly flow?: FlowSummary;
  /** Every finished run, by point and then by position in the point's list. */
  readonly rows: SummaryRow[];
  readonly points: readonly PointResult[];
  /** True when the experiment was stopped (`signal`) before every run finished. */
  readonly interrupted: boolean;
  /** The experiment directory, when results were written. */
  readonly out?: string;
  readonly seconds: number;
}

/** Options of `runExperiment`. */
export interface RunExperimentOptions {
  /** Experiment directory; nothing is written when absent. */
  readonly out?: string;
  /** Objective factory (default: @biaslab/runtime's `createObjective`); in-process runs only. */
  readonly createObjective?: ObjectiveFactory;
  /** Extra manifest entries (the CLI adds its command, plugins and package versions). */
  readonly manifest?: ManifestExtras;
  /**
   * Workers (default 1: everything in this process). N > 1 runs tasks in this process and in N − 1 forked
   * processes, which needs `worker`, the script they run; each compiles its own objectives. Results do not
   * depend on the count.
   */
  readonly workers?: number;
  readonly worker?: WorkerScript;
  /** Aborting stops every run after its current step; finished runs are kept and the rest resume later. */
  readonly signal?: AbortSignal;
  readonly onPlan?: (totalRuns: number) => void;
  readonly onTaskStart?: (task: FileTask) => void;
  readonly onProgress?: (task: FileTask, progress: TaskProgress) => void;
  readonly onFlowEnd?: (flow: FlowSummary, resumed: boolean, points: readonly number[]) => void;
  readonly onRunEnd?: (row: SummaryRow, resumed: boolean) => void;
}

const LAB_PACKAGES = ['@biaslab/core', '@biaslab/runtime', '@biaslab/lab'];

/** The default worker count: every core, each worker's onnxruntime sessions on `threads` threads. */
export function defaultWorkers(threads = 1): number {
  return Math.max(1, Math.floor(availableParallelism() / Math.max(1, threads)));
}

/**
 * Runs a resolved experiment: for every grid point, the gradient-flow reference (when enabled, shared by
 * points with the same model, data, seed and init) and one run per learning rate from the point's θ₀, then
 * the refinement runs around η_c and at the divergence edge. Results go to `out` as they finish; rerun with
 * the same `out` and configuration, it skips whatever already has a final row and recomputes the rest.
 * Every model/metric combination is compiled (and its HVP graph built) before the first run starts, so bad
 * input fails early.
 */
export async function runExperiment(
  resolved: ResolvedExperiment,
  options: RunExperimentOptions = {},
): Promise<ExperimentResult> {
  const started = performance.now();
  const { config } = resolved;
  const layout = experimentLayout(resolved);
  const store = options.out ? ResultsStore.open(options.out) : undefined;
  store?.lock();
  let executor: TaskExecutor | undefined;
  let local: TaskRunner | undefined;
  let closed = false;
  try {
    const existing = store?.readManifest();
    if (existing && toJson(existing.config) !== toJson(config)) {
      throw new BiaslabError(
        'RESULTS',
        `\`${options.out}\` holds results of a different experiment configuration. Choose a new \`out\` directory ` +
          'or remove the old one.',
      );
    }
    const workers = Math.max(1, Math.floor(options.workers ?? 1));
    if (workers > 1 && !options.worker) {
      throw new BiaslabError('INTERNAL', '`workers` > 1 needs a `worker` script that calls `serveWorker`');
    }
    // Bad input (missing differentiation rules, data that does not fit the model) fails before any run.
    local = new TaskRunner(resolved, options.createObjective);
    const groupSizes = await preflight(resolved, local);

    const manifest = buildManifest(resolved, layout, options, existing, workers);
    store?.writeManifest(manifest);
    const scheduler = new Scheduler(resolved, layout, store, options, groupSizes);
    scheduler.seed();
    options.onPlan?.(scheduler.plannedRuns);

    let poolStarting: Promise<unknown> | undefined;
    if (scheduler.pending > 0) {
      // This process runs tasks too (N workers = this process and N − 1 forked ones), starting at once while
      // the forked workers boot and compile.
      const composite = new CompositeExecutor([new LocalExecutor(local)]);
      local = undefined;
      executor = composite;
      const children = Math.min(workers, scheduler.plannedRuns + layout.flows.length) - 1;
      if (children > 0) {
        poolStarting = WorkerPool.start(children, options.worker!, config, resolved.mode).then((pool) => {
          if (closed) return pool.close();
          composite.add(pool);
        });
      }
    }
    const onAbort = () => {
      scheduler.stop();
      executor?.interrupt();
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort);
    try {
      if (executor) await scheduler.drain(executor, poolStarting);
      // A pool that failed to start is an error only if work is left that nothing stopped (Ctrl-C reaches
      // workers that are still loading and ends them).
      await poolStarting?.catch((error: unknown) => {
        if (scheduler.pending > 0 && !options.signal?.aborted) throw error;
      });
    } finally {
      closed = true;
      options.signal?.removeEventListener('abort', onAbort);
      store?.writeSummary(scheduler.summaryRows());
    }
    const result = experimentResult(resolved, layout, scheduler, manifest, options.out, started);
    store?.writeManifest(result.manifest);
    return result;
  } finally {
    closed = true;
    await executor?.close();
    await local?.dispose();
    store?.unlock();
  }
}

/**
 * Prepares one point per distinct combination of model, data shape, loss, dtype, metrics and flow (so bad
 * input fails before any run) and returns each point's group size: its `batch` where its runs step in a
 * batched graph (plain GD on a model that offers one), else 1.
 */
async function preflight(resolved: ResolvedExperiment, runner: TaskRunner): Promise<number[]> {
  const batched = new Map<string, boolean>();
  const sizes: number[] = [];
  for (const point of resolved.points) {
    const key = preflightKey(point);
    if (!batched.has(key)) {
      const { prepared } = await runner.prepare(point);
      batched.set(key, prepared.model.batchedGraph !== undefined);
    }
    const plainGd = point.optimizer.component.create(point.optimizer.options).plainGradientDescent === true;
    sizes.push(batched.get(key) && plainGd ? point.config.batch : 1);
  }
  return sizes;
}

/** Points with equal keys compile the same graphs (model, data shape, loss, dtype, metrics, flow). */
function preflightKey(point: ResolvedPoint): string {
  return toJson([
    point.config.model.name,
    point.config.model.options,
    point.config.dataset,
    point.loss,
    point.config.dtype,
    point.config.metrics,
    point.flowEnabled && point.config.flow.sharpness,
  ]);
}

function buildManifest(
  resolved: ResolvedExperiment,
  layout: ExperimentLayout,
  options: RunExperimentOptions,
  existing: ExperimentManifest | undefined,
  workers: number,
): ExperimentManifest {
  const { config } = resolved;
  const now = new Date().toISOString();
  return {
    biaslab: 'experiment',
    mode: resolved.mode,
    config,
    learningRates: [...resolved.lrs],
    points: resolved.points.map((p) => ({
      index: p.index,
      label: p.label,
      grid: p.grid,
      seed: p.config.seed,
      flow: layout.flowOf[p.index] ?? null,
    })),
    seeds: [...new Set(resolved.points.map((p) => p.config.seed))],
    seed: config.seed,
    dtype: config.dtype,
    loss: config.loss,
    lossNormalisation: LOSS_NORMALISATION[config.loss],
    breakPointRule:
      `observed break point = the smallest converged η with S·η/2 > ${config.breakPoint.stability} ` +
      `and S < (1 − ${config.breakPoint.drop})·S_flow (the flow's final S)`,
    machine: machineInfo(),
    workers,
    ...options.manifest,
    versions: { ...packageVersions(LAB_PACKAGES), ...options.manifest?.versions },
    status: 'running',
    startedAt: existing?.startedAt ?? now,
    ...(existing ? { resumedAt: [...(existing.resumedAt ?? []), now] } : {}),
  };
}

/** What a finished (or interrupted) experiment returns, with its final manifest. */
function experimentResult(
  resolved: ResolvedExperiment,
  layout: ExperimentLayout,
  scheduler: Scheduler,
  manifest: ExperimentManifest,
  out: string | undefined,
  started: number,
): ExperimentResult {
  const interrupted = scheduler.interrupted;
  const endedAt = new Date().toISOString();
  const points = resolved.points.map((point) => pointResult(point, layout, scheduler));
  return {
    manifest: interrupted
      ? { ...manifest, status: 'interrupted', interruptedAt: endedAt }
      : { ...manifest, status: 'finished', finishedAt: endedAt },
    flow: points[0].flow,
    rows: scheduler.summaryRows(),
    points,
    interrupted,
    out,
    seconds: (performance.now() - started) / 1000,
  };
}

function pointResult(point: ResolvedPoint, layout: ExperimentLayout, scheduler: Scheduler): PointResult {
  const rows = scheduler
    .summaryRows()
    .filter((r) => r.point === point.index)
    .sort((a, b) => a.eta - b.eta);
  const flowId = layout.flowOf[point.index];
  const flow = flowId ? scheduler.flow(flowId) : undefined;
  return {
    index: point.index,
    label: point.label,
    grid: point.grid,
    seed: point.config.seed,
    flow,
    rows,
  };
}

export type { RunTask };
