import type { Oracle } from '@biaslab/core';
import { MIN_BATCHED_ROWS } from '@biaslab/runtime';
import type { BatchedGradient, LossAndGradient } from '@biaslab/runtime';

/** A batched gradient with at least `rows` rows (the caller compiles each size once and keeps it). */
export type BatchedGradientSource = (rows: number) => Promise<BatchedGradient>;

/**
 * Flushes a batch may run with fewer requests than rows before it is recompiled to the smaller size. A spare
 * row costs about one run's share of the call (≈ 20 µs for the d = 1000 diagonal network); compiling a new
 * size costs tens of milliseconds, i.e. a few thousand row-evaluations.
 */
const REPACK_AFTER = 200;

interface Request {
  readonly theta: Float64Array;
  resolve(value: LossAndGradient): void;
  reject(error: unknown): void;
}

/**
 * Shares the full-batch gradient evaluations of a group of runs: while the runs take a step together
 * (`round`), every `oracle.grad(θ)` they make is held until each run still stepping has asked for one, and
 * then all of them are answered by one call of a batched gradient (`createBatchedGradient` of the runtime).
 * Every other oracle call (`loss`, `hvp`, minibatches, noisy targets) goes to the objective unchanged. Each
 * run's gradient is its own row of the batched graph, which is rounded alike whatever the rows (see
 * `ModelInstance.batchedGraph`), so a run's numbers do not depend on its group — and a run alone uses the
 * same graph, so they do not depend on whether it has a group at all.
 *
 * The batch is recompiled to fewer rows at once when at most half of them are asked for, else after
 * `REPACK_AFTER` flushes with spare rows (runs that end together are packed out together).
 */
export class GradientBatcher {
  /** What each run's optimizer sees: the objective, with `grad` shared. */
  readonly oracle: Oracle;
  private stepping = 0;
  private pending: Request[] = [];
  private current?: BatchedGradient;
  private shortFlushes = 0;

  /** `rows`: the group's size, the rows of the first batch. */
  constructor(
    base: Oracle,
    private readonly source: BatchedGradientSource,
    private readonly rows: number,
  ) {
    this.oracle = shareGradient(base, (theta) => this.request(theta));
  }

  /**
   * Runs one step of every active run at once and resolves with their outcomes in order. Each step should
   * reach the objective through `oracle`; a step that never asks for a gradient simply leaves the round.
   */
  round<T>(steps: readonly (() => Promise<T>)[]): Promise<T[]> {
    this.stepping = steps.length;
    return Promise.all(
      steps.map((step) =>
        step().finally(() => {
          this.stepping--;
          this.flushIfReady();
        }),
      ),
    );
  }

  private request(theta: Float64Array): Promise<LossAndGradient> {
    return new Promise((resolve, reject) => {
      this.pending.push({ theta, resolve, reject });
      this.flushIfReady();
    });
  }

  private flushIfReady(): void {
    if (this.pending.length === 0 || this.pending.length < this.stepping) return;
    const requests = this.pending;
    this.pending = [];
    void this.flush(requests);
  }

  private async flush(requests: readonly Request[]): Promise<void> {
    let batched: BatchedGradient;
    try {
      batched = await this.batchFor(requests.length);
    } catch (error) {
      for (const r of requests) r.reject(error);
      return;
    }
    for (let start = 0; start < requests.length; start += batched.runs) {
      const chunk = requests.slice(start, start + batched.runs);
      try {
        const out = await batched.grad(chunk.map((r) => r.theta));
        chunk.forEach((r, i) => r.resolve(out[i]));
      } catch {
        // One bad iterate must not fail the others: each request again on its own, with its own outcome.
        for (const r of chunk) await batched.grad([r.theta]).then((out) => r.resolve(out[0]), r.reject);
      }
    }
  }

  /** The batched gradient for `count` requests, repacked to fewer rows when enough of them go unused. */
  private async batchFor(count: number): Promise<BatchedGradient> {
    this.current ??= await this.source(Math.max(MIN_BATCHED_ROWS, this.rows));
    const { runs } = this.current;
    const rows = Math.max(MIN_BATCHED_ROWS, count);
    if (rows >= runs) return this.current;
    if (++this.shortFlushes >= REPACK_AFTER || count <= runs / 2) {
      this.shortFlushes = 0;
      this.current = await this.source(rows);
    }
    return this.current;
  }
}

/** `base` with `grad` replaced (the other members are passed through, bound to `base`). */
function shareGradient(base: Oracle, grad: (theta: Float64Array) => Promise<LossAndGradient>): Oracle {
  return {
    size: base.size,
    ...(base.samples !== undefined ? { samples: base.samples } : {}),
    ...(base.targetSize !== undefined ? { targetSize: base.targetSize } : {}),
    loss: (theta) => base.loss(theta),
    grad,
    hvp: (theta, v) => base.hvp(theta, v),
    ...(base.minibatch ? { minibatch: (indices) => base.minibatch!(indices) } : {}),
    ...(base.gradWithTargetNoise
      ? { gradWithTargetNoise: (theta, noise) => base.gradWithTargetNoise!(theta, noise) }
      : {}),
  };
}
