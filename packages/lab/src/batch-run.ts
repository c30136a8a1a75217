import type { ParamLayout } from '@biaslab/core';
import { parameterRow, stackParameters } from '@biaslab/runtime';
import type { BatchedGd } from '@biaslab/runtime';
import { StopMonitor } from './stop-rules';
import type { StopRules } from './stop-rules';
import { RunInterrupted, seriesRow } from './run';
import type { MetricsAt, RunResult } from './run';
import type { MetricValues, SeriesRow } from '@biaslab/results';

/** One learning rate of a batch. */
export interface BatchMember {
  readonly eta: number;
  /** Metric values at an iterate (as `RunOptions.metrics`). */
  readonly metrics?: MetricsAt;
  /** Receives each series row of this run as it is made. */
  readonly onSeries?: (row: SeriesRow) => void;
  /** Receives the run's result when a stop rule ends it; the other runs go on. */
  readonly onFinish: (result: RunResult) => void | Promise<void>;
}

/** Everything a batch of plain-GD runs from one θ₀ needs. */
export interface BatchRunOptions {
  /** A batched GD step for `runs` parameter sets (the caller caches one per size). */
  readonly stepper: (runs: number) => Promise<BatchedGd>;
  readonly layout: ParamLayout;
  /** θ₀, shared by every member; never mutated. */
  readonly theta0: Float64Array;
  readonly members: readonly BatchMember[];
  readonly stop: StopRules;
  /** A series row (with metrics) every `every` steps and at the final iterate; 0 = only the final one. */
  readonly every: number;
  /** The step and per-member losses of the active runs (progress displays; throttled by the caller). */
  readonly onStep?: (step: number, active: readonly { member: number; loss: number }[]) => void;
  /** When aborted, the batch stops after the current step by throwing `RunInterrupted`. */
  readonly signal?: AbortSignal;
}

/**
 * Steps a finished row may ride along before the batch is repacked without it. A frozen row costs about one
 * run's share of the step (≈ 20 µs for the d = 1000 diagonal network); compiling a new batch size costs tens of
 * milliseconds, i.e. a few thousand row-steps.
 */
const REPACK_AFTER = 200;

interface Active {
  readonly member: number;
  readonly monitor: StopMonitor;
  readonly series: SeriesRow[];
}

/**
 * Trains every member from θ₀ with its own η by full-batch GD, all of them in one batched graph: each step
 * evaluates L(θ_k) and ∇L(θ_k) of every active run in one onnxruntime call, applies each run's stop rules
 * exactly as `runOnce` does (same iterate, same step count, same reason), and ends runs as their rules fire.
 * Finished rows stay in the batch, frozen at θ₀ with η = 0, until the batch is repacked to the active runs:
 * at once when at most half the rows are active, else `REPACK_AFTER` steps after a row finished (runs that end
 * together are packed out together; each new size compiles once). Row k's numbers never depend on the other
 * rows. Metrics run on each run's own θ through the member's hooks.
 */
export async function runBatch(options: BatchRunOptions): Promise<void> {
  const { layout, theta0, members, stop, every } = options;
  const started = performance.now();
  let rows: (Active | undefined)[] = members.map((_, member) => ({
    member,
    monitor: new StopMonitor(stop),
    series: [],
  }));
  let stepper = await options.stepper(rows.length);
  let params = stackParameters(
    layout,
    members.map(() => theta0),
  );
  let etas = Float64Array.from(members, (m) => m.eta);

  const emit = (
    a: Active,
    step: number,
    loss: number,
    gradNorm: number,
    metrics: MetricValues | undefined,
  ) => {
    const row = seriesRow(step, loss, gradNorm, metrics);
    a.series.push(row);
    members[a.member].onSeries?.(row);
  };

  let firstFinished: number | undefined;
  for (let step = 0; ; step++) {
    if (options.signal?.aborted) throw new RunInterrupted(step);
    const out = await stepper.step(params, etas);
    let left = 0;
    const progress: { member: number; loss: number }[] = [];
    for (let r = 0; r < rows.length; r++) {
      const a = rows[r];
      if (!a) continue;
      const m = members[a.member];
      const loss = out.losses[r];
      const verdict = a.monitor.observe(step, loss);
      if (verdict) {
        const theta = parameterRow(layout, params, r);
        const metrics = m.metrics ? await m.metrics(theta, step, verdict.status === 'diverged', {}) : {};
        emit(a, step, loss, out.gradNorms[r], metrics);
        rows[r] = undefined;
        await m.onFinish({
          eta: m.eta,
          status: verdict.status,
          reason: verdict.reason,
          steps: step,
          loss,
          theta,
          metrics,
          series: a.series,
          seconds: (performance.now() - started) / 1000,
        });
        continue;
      }
      left++;
      progress.push({ member: a.member, loss });
      if (every > 0 && step % every === 0) {
        const metrics = m.metrics
          ? await m.metrics(parameterRow(layout, params, r), step, false, {})
          : undefined;
        emit(a, step, loss, out.gradNorms[r], metrics);
      }
    }
    if (left === 0) return;
    options.onStep?.(step, progress);
    params = [...out.next];
    // A finished row computes on θ₀ with η = 0 from now on: finite, and ignored.
    rows.forEach((a, r) => {
      if (a || etas[r] === 0) return;
      firstFinished ??= step;
      etas[r] = 0;
      layout.slots.forEach((s, j) => params[j].set(theta0.subarray(s.offset, s.offset + s.size), r * s.size));
    });
    if (left <= rows.length / 2 || (firstFinished !== undefined && step - firstFinished >= REPACK_AFTER)) {
      firstFinished = undefined;
      const keep = rows.flatMap((a, r) => (a ? [r] : []));
      params = layout.slots.map((s, j) => pick(params[j], keep, s.size));
      etas = Float64Array.from(keep, (r) => etas[r]);
      rows = keep.map((r) => rows[r]);
      stepper = await options.stepper(rows.length);
    }
  }
}

/** The rows `keep` of a row-major [rows, size] array. */
function pick(values: Float64Array, keep: readonly number[], size: number): Float64Array {
  const out = new Float64Array(keep.length * size);
  keep.forEach((r, i) => out.set(values.subarray(r * size, (r + 1) * size), i * size));
  return out;
}
