import { BiaslabError, Rng } from '@biaslab/core';
import { createBatchedGd } from '@biaslab/runtime';
import type { BatchedGd, BatchedGdOptions } from '@biaslab/runtime';
import type { ResolvedExperiment, ResolvedPoint } from './resolve-experiment';
import { prepareExperiment } from './prepare';
import type { ObjectiveFactory, PreparedExperiment } from './prepare';
import { runGroup, RunInterrupted } from './run';
import type { GroupRun, RunResult } from './run';
import { BatchedGdSteps } from './batched-gd-steps';
import { runFlowTask } from './flow-task';
import { defaultDivergenceBound } from './stop-rules';
import { summarize, summaryKeys } from './summary';
import { PROGRESS_INTERVAL_MS } from './tasks';
import type { FinalRow, RunGroupTask, RunTask, Task, TaskCallbacks, TaskExecutor } from './tasks';

/** A prepared point with its initial loss and divergence bound. */
interface PreparedPoint {
  readonly prepared: PreparedExperiment;
  readonly initialLoss: number;
  readonly divergence: number;
  /** Batched GD steps of this point, by number of rows (compiled on first use). */
  readonly batched: Map<number, Promise<BatchedGd>>;
}

/** Builds a batched GD step; defaults to `createBatchedGd` of @biaslab/runtime. */
export type BatchedGdFactory = (options: BatchedGdOptions) => Promise<BatchedGd>;

/**
 * Executes flow and run-group tasks of one experiment in this process. Compiled objectives, batched
 * GD steps and θ₀ are built once per distinct point (`prepareKey`) and kept for the next tasks of that point
 * (the `cacheSize` most recent). Each run's random streams and metric memory are its own, so a run's numbers
 * do not depend on which tasks this runner executed before or on the group it was trained in.
 */
export class TaskRunner {
  private readonly cache = new Map<string, Promise<PreparedPoint>>();

  constructor(
    readonly resolved: ResolvedExperiment,
    private readonly factory?: ObjectiveFactory,
    private readonly cacheSize = 2,
    private readonly batchedFactory: BatchedGdFactory = createBatchedGd,
  ) {}

  /** Runs one task until every flow or run of it has been handed to `callbacks.finished`. */
  async run(task: Task, callbacks: TaskCallbacks, signal?: AbortSignal): Promise<void> {
    const point = this.resolved.points[task.point];
    if (!point)
      throw new BiaslabError(
        'INTERNAL',
        `Task \`${task.id}\` names grid point ${task.point}, which does not exist`,
      );
    const entry = await this.prepare(point);
    if (task.kind === 'flow') {
      callbacks.finished(task.id, await runFlowTask(task, point, entry.prepared, callbacks, signal));
    } else {
      await this.train(task, point, entry, callbacks, signal);
    }
  }

  /** The prepared point (compiling it on first use). */
  prepare(point: ResolvedPoint): Promise<PreparedPoint> {
    let entry = this.cache.get(point.prepareKey);
    if (entry) {
      // Most recently used last.
      this.cache.delete(point.prepareKey);
      this.cache.set(point.prepareKey, entry);
      return entry;
    }
    entry = (async () => {
      const prepared = await prepareExperiment(point, this.factory);
      const initialLoss = await prepared.train.loss(prepared.theta0);
      const divergence = point.config.stop.divergence ?? defaultDivergenceBound(initialLoss);
      return { prepared, initialLoss, divergence, batched: new Map() };
    })();
    this.cache.set(point.prepareKey, entry);
    entry.catch(() => this.cache.delete(point.prepareKey));
    while (this.cache.size > this.cacheSize) {
      const [oldest, evicted] = this.cache.entries().next().value!;
      this.cache.delete(oldest);
      void evicted.then((p) => release(p)).catch(() => undefined);
    }
    return entry;
  }

  /** Releases every compiled objective. */
  async dispose(): Promise<void> {
    const entries = [...this.cache.values()];
    this.cache.clear();
    for (const entry of entries) {
      try {
        await release(await entry);
      } catch {
        // A point that failed to prepare has nothing to release.
      }
    }
  }

  /**
   * Trains the runs of a group in one loop (`runGroup`), each reporting under its own id. Plain GD on a model
   * with a batched graph steps in that graph (`BatchedGdSteps`) whether the group has one run or many, so the
   * group never changes a run's numbers; anything else steps with its optimizer on the objective.
   */
  private async train(
    task: RunGroupTask,
    point: ResolvedPoint,
    entry: PreparedPoint,
    callbacks: TaskCallbacks,
    signal?: AbortSignal,
  ): Promise<void> {
    const { prepared, divergence } = entry;
    const { config } = point;
    const runs = task.runs.map((run) => groupRun(run, point, prepared, callbacks));
    const batched = prepared.model.batchedGraph && runs.every((r) => r.optimizer.plainGradientDescent);
    const stepper = batched
      ? await BatchedGdSteps.create(
          runs,
          (rows) => this.batchedGd(entry, point, rows),
          prepared.model.layout,
          prepared.theta0,
          config.dtype,
        )
      : undefined;
    await runGroup({
      oracle: prepared.train,
      stepper,
      theta0: prepared.theta0,
      stop: { ...config.stop, divergence },
      every: config.every,
      runs,
      signal,
    });
  }

  /** The point's batched GD step for `rows` runs, compiled once per size. */
  private batchedGd(entry: PreparedPoint, point: ResolvedPoint, rows: number): Promise<BatchedGd> {
    let batched = entry.batched.get(rows);
    if (!batched) {
      const { prepared } = entry;
      batched = this.batchedFactory({
        model: prepared.model,
        loss: point.loss,
        data: prepared.dataset.train,
        dtype: point.config.dtype,
        runs: rows,
        threads: point.config.threads,
      });
      entry.batched.set(rows, batched);
      batched.catch(() => entry.batched.delete(rows));
    }
    return batched;
  }
}

/** One run of a group: a fresh optimizer, its own random stream and metrics, its rows under its own id. */
function groupRun(
  run: RunTask,
  point: ResolvedPoint,
  prepared: PreparedExperiment,
  callbacks: TaskCallbacks,
): GroupRun {
  const { eta, index } = run;
  const hooks = point.metrics.length > 0 ? prepared.createMetrics(`run-${index}`) : undefined;
  let sharpness: number | null | undefined;
  let lastReport = 0;
  return {
    eta,
    optimizer: prepared.createOptimizer(),
    rng: new Rng(point.config.seed).fork(`run-${index}`),
    metrics: hooks
      ? (theta, step, tolerant, extras) => hooks.evaluate(theta, eta, step, tolerant, extras)
      : undefined,
    observe: hooks?.observe ? (theta, step) => hooks.observe!(theta, step, eta) : undefined,
    onSeries: (row) => {
      const s = row.metrics?.sharpness;
      if (s !== undefined) sharpness = s === null ? null : Math.abs(s);
      callbacks.row(run.id, row as unknown as Record<string, unknown>);
    },
    onStep: callbacks.progress
      ? (step, loss) => {
          const now = performance.now();
          if (now - lastReport < PROGRESS_INTERVAL_MS) return;
          lastReport = now;
          callbacks.progress!(run.id, { step, loss: Number.isFinite(loss) ? loss : null, sharpness });
        }
      : undefined,
    onFinish: (result) => callbacks.finished(run.id, finalRow(run, result, prepared)),
  };
}

/** The final row of a run task: its summary, identity and final θ. */
function finalRow(task: RunTask, result: RunResult, prepared: PreparedExperiment): FinalRow {
  const { model } = prepared;
  const row = summarize(
    task.index,
    result,
    model.predictor ? (t) => model.predictor!(t) : undefined,
    summaryKeys(prepared.resolved.metrics),
  );
  return {
    ...row,
    run: task.id,
    point: task.point,
    grid: task.grid,
    seed: task.seed,
    phase: task.phase,
    type: 'final',
    theta: result.theta,
  };
}

/** Releases a point's compiled objectives and batched GD steps. */
async function release(point: PreparedPoint): Promise<void> {
  for (const s of await Promise.allSettled(point.batched.values()))
    if (s.status === 'fulfilled') await s.value.dispose();
  await point.prepared.dispose();
}

/** A `TaskExecutor` that runs one task at a time in this process. */
export class LocalExecutor implements TaskExecutor {
  readonly slots = 1;
  private controller = new AbortController();

  constructor(private readonly runner: TaskRunner) {}

  run(task: Task, callbacks: TaskCallbacks): Promise<void> {
    if (this.controller.signal.aborted) return Promise.reject(new RunInterrupted(0));
    return this.runner.run(task, callbacks, this.controller.signal);
  }

  interrupt(): void {
    this.controller.abort();
  }

  close(): Promise<void> {
    return this.runner.dispose();
  }
}
