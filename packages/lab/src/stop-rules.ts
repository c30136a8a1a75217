/** How a run ended. */
export type RunStatus = 'converged' | 'capped' | 'diverged';

/** The resolved stop rules of `docs/science.md`. */
export interface StopRules {
  /** Training-loss threshold ε. */
  readonly epsilon: number;
  /** K: consecutive steps with loss < ε that end a run as converged (K ≥ 1). */
  readonly patience: number;
  /** Step cap. */
  readonly maxSteps: number;
  /** A loss above this (or non-finite) ends the run as diverged. */
  readonly divergence: number;
}

/** The verdict of the stop rules at one iterate, or `undefined` to go on. */
export interface StopVerdict {
  readonly status: RunStatus;
  readonly reason: string;
}

/**
 * The default divergence bound: 10⁶ · max(L(θ₀), 1). Far above any loss a stable run visits, far below the
 * overflow a runaway run reaches a few steps later.
 */
export function defaultDivergenceBound(initialLoss: number): number {
  return 1e6 * Math.max(Number.isFinite(initialLoss) ? initialLoss : 1, 1);
}

/**
 * Applies the stop rules to the losses of θ₀, θ₁, … in order. `observe(step, loss)` is called with the loss
 * of the iterate reached after `step` steps and says whether the run ends there:
 * - loss non-finite or above the bound → diverged;
 * - loss < ε at K consecutive iterates → converged (the run's final θ is this iterate);
 * - `step` = maxSteps without either → capped.
 */
export class StopMonitor {
  private below = 0;

  constructor(readonly rules: StopRules) {}

  /** Consecutive iterates so far with loss < ε. */
  get streak(): number {
    return this.below;
  }

  observe(step: number, loss: number): StopVerdict | undefined {
    const { epsilon, patience, maxSteps, divergence } = this.rules;
    if (!Number.isFinite(loss)) {
      return { status: 'diverged', reason: `loss is ${loss} at step ${step}` };
    }
    if (loss > divergence) {
      return {
        status: 'diverged',
        reason: `loss ${fmt(loss)} exceeds the divergence bound ${fmt(divergence)} at step ${step}`,
      };
    }
    this.below = loss < epsilon ? this.below + 1 : 0;
    if (this.below >= patience) {
      return {
        status: 'converged',
        reason: `loss < ε = ${fmt(epsilon)} for ${patience} consecutive step${patience === 1 ? '' : 's'}`,
      };
    }
    if (step >= maxSteps) {
      return {
        status: 'capped',
        reason: `step cap ${maxSteps} reached (loss ${fmt(loss)}, ${this.below} consecutive steps below ε = ${fmt(epsilon)})`,
      };
    }
    return undefined;
  }
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}
