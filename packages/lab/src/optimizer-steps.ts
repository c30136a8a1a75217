import type { Oracle } from '@biaslab/core';
import type { EvaluationExtras } from './metric-evaluator';
import type { GroupRun, GroupStepper } from './run';

/** What one optimizer step reported at θ_t: L(θ_t), ‖∇L(θ_t)‖ when computed, and θ_{t+1} with its state. */
interface StepOutcome {
  readonly loss: number;
  readonly gradNorm?: number;
  readonly next?: { readonly theta: Float64Array; readonly state: unknown };
}

/**
 * The runs of a group stepped by their own optimizers on the objective, one after the other: what a run does
 * alone. Each run keeps its θ and optimizer state; a step's loss is the one the optimizer reports (else
 * `oracle.loss`), and an engine failure at a runaway iterate is divergence (a NaN loss), never an exception.
 */
export class OptimizerSteps implements GroupStepper {
  private readonly thetas: Float64Array[];
  private readonly states: unknown[];
  private readonly outcomes: StepOutcome[] = [];
  private active: readonly number[];

  constructor(
    private readonly runs: readonly GroupRun[],
    private readonly oracle: Oracle,
    theta0: Float64Array,
  ) {
    this.thetas = runs.map(() => Float64Array.from(theta0));
    this.states = runs.map((run, r) => run.optimizer.init(this.thetas[r]));
    this.active = runs.map((_, r) => r);
  }

  async evaluate(step: number): Promise<void> {
    for (const r of this.active) this.outcomes[r] = await this.stepAt(r, step);
  }

  loss(run: number): number {
    return this.outcomes[run].loss;
  }

  theta(run: number): Float64Array {
    return this.thetas[run];
  }

  async gradNorm(run: number): Promise<number | undefined> {
    return this.outcomes[run].gradNorm;
  }

  extras(run: number): EvaluationExtras {
    return { preconditioner: this.runs[run].optimizer.preconditioner?.(this.states[run]) };
  }

  async advance(ongoing: readonly number[]): Promise<void> {
    for (const r of ongoing) {
      const { next } = this.outcomes[r];
      this.thetas[r] = next!.theta;
      this.states[r] = next!.state;
    }
    this.active = ongoing;
  }

  private async stepAt(r: number, step: number): Promise<StepOutcome> {
    const run = this.runs[r];
    const theta = this.thetas[r];
    let result;
    try {
      result = await run.optimizer.step({
        theta,
        state: this.states[r],
        eta: run.eta,
        step,
        oracle: this.oracle,
        rng: run.rng,
      });
    } catch (error) {
      // An engine failure on a runaway iterate is divergence; on a finite one it is a real error.
      if (theta.every(Number.isFinite)) throw error;
      return { loss: Number.NaN };
    }
    return {
      loss: result.loss ?? (await this.oracle.loss(theta)),
      gradNorm: result.gradNorm,
      next: { theta: result.theta, state: result.state },
    };
  }
}
