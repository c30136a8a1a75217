import { BiaslabError } from '@biaslab/core';
import type { FloatDType, Oracle, ParamLayout } from '@biaslab/core';
import { batchedRows, parameterRow, stackParameters } from '@biaslab/runtime';
import type { BatchedGd, BatchedGdStep } from '@biaslab/runtime';
import type { EvaluationExtras } from './metric-evaluator';
import type { GroupRun, GroupStepper } from './run';

/** A batched GD step of at least `rows` rows (the caller compiles each size once and keeps it). */
export type BatchedGdSource = (rows: number) => Promise<BatchedGd>;

/**
 * Steps a finished row may ride along before the batch is repacked without it. A frozen row costs about one
 * run's share of the step (≈ 20 µs for the d = 1000 diagonal network); compiling a new batch size costs tens of
 * milliseconds, i.e. a few thousand row-steps.
 */
const REPACK_AFTER = 200;

/**
 * The runs of a group — plain gradient descent (`Optimizer.plainGradientDescent`) on a model with a batched
 * graph — stepped together by `createBatchedGd` of the runtime: one onnxruntime call per step evaluates every
 * run's L(θ_t) and takes its step θ − η∇L(θ) in the graph. The runs' optimizers are called only at the
 * iterates whose rows are written, on that row's gradient, for the ‖∇L‖ they report; their θ⁺ must equal the
 * graph's to the bit (it does for θ + (−η·g)), else this is an internal error. A group of one uses the same
 * graph (`batchedRows` rows), so a run's numbers never depend on batching.
 *
 * Finished rows stay in the batch, frozen at θ₀ with η = 0, until the batch is repacked to the runs going on:
 * at once when at most half the rows are used, else `REPACK_AFTER` steps after a row finished (runs that end
 * together are packed out together; each new size compiles once).
 */
export class BatchedGdSteps implements GroupStepper {
  private batched!: BatchedGd;
  private params: Float64Array[] = [];
  private etas = new Float64Array(0);
  /** The run in each row (undefined: a padding or finished row), and each run's row. */
  private rowRuns: (number | undefined)[] = [];
  private readonly rows: number[];
  private out?: BatchedGdStep;
  private step = 0;
  private firstFinished?: number;
  private readonly states: unknown[];
  private readonly thetas = new Map<number, Float64Array>();

  private constructor(
    private readonly runs: readonly GroupRun[],
    private readonly source: BatchedGdSource,
    private readonly layout: ParamLayout,
    private readonly theta0: Float64Array,
    private readonly dtype: FloatDType,
  ) {
    this.states = runs.map((run) => run.optimizer.init(Float64Array.from(theta0)));
    this.rows = runs.map(() => -1);
  }

  /** The stepper for `runs` from θ₀, with its first batch compiled. */
  static async create(
    runs: readonly GroupRun[],
    source: BatchedGdSource,
    layout: ParamLayout,
    theta0: Float64Array,
    dtype: FloatDType,
  ): Promise<BatchedGdSteps> {
    const stepper = new BatchedGdSteps(runs, source, layout, theta0, dtype);
    await stepper.pack(
      runs.map((_, r) => r),
      () => theta0,
    );
    return stepper;
  }

  async evaluate(step: number, rowsDue: boolean): Promise<void> {
    this.step = step;
    this.thetas.clear();
    this.out = await this.batched.step(this.params, this.etas, rowsDue);
  }

  loss(run: number): number {
    return this.out!.losses[this.rowOf(run)];
  }

  theta(run: number): Float64Array {
    let theta = this.thetas.get(run);
    if (!theta) this.thetas.set(run, (theta = parameterRow(this.layout, this.params, this.rowOf(run))));
    return theta;
  }

  /** The run's optimizer, stepped at θ_t on the gradient of its row, reports ‖∇L(θ_t)‖. */
  async gradNorm(run: number): Promise<number | undefined> {
    // the same step again, this time returning the gradients (same inputs, same graph: the same numbers)
    if (!this.out!.grads) this.out = await this.batched.step(this.params, this.etas, true);
    const { losses, grads, next } = this.out!;
    const row = this.rowOf(run);
    const { optimizer, eta, rng } = this.runs[run];
    const theta = this.theta(run);
    const oracle = rowOracle(losses[row], parameterRow(this.layout, grads!, row));
    const result = await optimizer.step({
      theta,
      state: this.states[run],
      eta,
      step: this.step,
      oracle,
      rng,
    });
    const expected = parameterRow(this.layout, next, row);
    if (result.theta.some((v, i) => !Object.is(v, expected[i]))) {
      throw new BiaslabError(
        'INTERNAL',
        `An optimizer that declares \`plainGradientDescent\` stepped to another θ than θ − η∇L(θ) at ` +
          `step ${this.step}, η = ${eta}; declare it only for steps that are exactly plain gradient descent.`,
      );
    }
    return result.gradNorm;
  }

  extras(run: number): EvaluationExtras {
    return { preconditioner: this.runs[run].optimizer.preconditioner?.(this.states[run]) };
  }

  async advance(ongoing: readonly number[]): Promise<void> {
    this.params = [...this.out!.next];
    const going = new Set(ongoing);
    // A finished row computes on θ₀ with η = 0 from now on: finite, and ignored.
    this.rowRuns.forEach((run, row) => {
      if (run === undefined || going.has(run)) return;
      this.firstFinished ??= this.step;
      this.rowRuns[row] = undefined;
      this.rows[run] = -1;
      this.etas[row] = 0;
      this.layout.slots.forEach((s, j) =>
        this.params[j].set(this.theta0.subarray(s.offset, s.offset + s.size), row * s.size),
      );
    });
    const rows = batchedRows(ongoing.length, this.dtype);
    const stale = this.firstFinished !== undefined && this.step - this.firstFinished >= REPACK_AFTER;
    if (rows < this.batched.runs && (ongoing.length <= this.batched.runs / 2 || stale)) {
      this.firstFinished = undefined;
      const stacked = this.params;
      await this.pack(ongoing, (run) => parameterRow(this.layout, stacked, this.rowOf(run!)));
    }
  }

  /** Rebuilds the batch with `runs` in its first rows (their θ from `thetaOf`), padded with θ₀ at η = 0. */
  private async pack(runs: readonly number[], thetaOf: (run: number) => Float64Array): Promise<void> {
    const batched = await this.source(batchedRows(runs.length, this.dtype));
    const rowRuns = Array.from({ length: batched.runs }, (_, row) => runs[row]);
    this.params = stackParameters(
      this.layout,
      rowRuns.map((run) => (run === undefined ? this.theta0 : thetaOf(run))),
    );
    this.etas = Float64Array.from(rowRuns, (run) => (run === undefined ? 0 : this.runs[run].eta));
    this.batched = batched;
    this.rowRuns = rowRuns;
    rowRuns.forEach((run, row) => {
      if (run !== undefined) this.rows[run] = row;
    });
  }

  private rowOf(run: number): number {
    const row = this.rows[run];
    if (row < 0) throw new BiaslabError('INTERNAL', `Run ${run} has no row in its batch`);
    return row;
  }
}

/** The oracle of one row's step: L(θ_t) and ∇L(θ_t) as the batched graph computed them, and nothing else. */
function rowOracle(loss: number, grad: Float64Array): Oracle {
  const refuse = (what: string) => {
    throw new BiaslabError(
      'INTERNAL',
      `An optimizer that declares \`plainGradientDescent\` called \`oracle.${what}\`; a plain GD step makes one \`oracle.grad\` call.`,
    );
  };
  return {
    size: grad.length,
    loss: async () => refuse('loss'),
    grad: async () => ({ loss, grad }),
    hvp: async () => refuse('hvp'),
  };
}
