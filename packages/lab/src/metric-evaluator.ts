import { createMetricMemory } from '@biaslab/core';
import type { Dataset, Metric, ModelInstance, Oracle, Rng } from '@biaslab/core';
import type { MetricValues } from '@biaslab/results';

/** A metric chosen for an experiment: its name (the component name) and a created instance. */
export interface ResolvedMetric {
  readonly name: string;
  readonly metric: Metric;
}

/** What metrics may look at besides θ. */
export interface MetricEnvironment {
  readonly model: ModelInstance;
  readonly dataset: Dataset;
  readonly train: Oracle;
  readonly testLoss?: (theta: Float64Array) => Promise<number>;
  /** Model outputs on a split, row-major [n, outputSize]. */
  readonly predict?: (theta: Float64Array, split: 'train' | 'test') => Promise<Float64Array>;
  /** Gauss–Newton-vector products, where the runtime provides them. */
  readonly ggnvp?: (theta: Float64Array, v: Float64Array) => Promise<Float64Array>;
  readonly rng: Rng;
}

/** What the run loop knows at an evaluation besides θ. */
export interface EvaluationExtras {
  /** Diagonal of the optimizer's current preconditioner P⁻¹ (adaptive methods). */
  readonly preconditioner?: Float64Array;
}

/**
 * Evaluates a list of metrics at iterates of one run. Each evaluator owns the per-run `memory` that metrics
 * use between evaluations (a warm-start eigenvector, say), so create one evaluator per run.
 */
export class MetricEvaluator {
  private readonly memory = createMetricMemory();

  constructor(
    private readonly environment: MetricEnvironment,
    private readonly metrics: readonly ResolvedMetric[],
  ) {}

  /** True when no metric is configured. */
  get empty(): boolean {
    return this.metrics.length === 0;
  }

  /** True when some metric observes every step. */
  get observes(): boolean {
    return this.metrics.some(({ metric }) => metric.observe !== undefined);
  }

  /** Hands the iterate reached after `step` steps to every metric that observes the trajectory. */
  observe(theta: Float64Array, step: number, eta: number): void {
    for (const { metric } of this.metrics) metric.observe?.({ theta, step, eta, memory: this.memory });
  }

  /**
   * All metric values at θ. With `tolerant` (used at the end of a diverged run) a metric that throws, or any
   * metric at a θ with non-finite entries, gives `null` for its name instead of an error.
   */
  async evaluate(
    theta: Float64Array,
    eta: number,
    step: number,
    tolerant = false,
    extras: EvaluationExtras = {},
  ): Promise<MetricValues> {
    const values: MetricValues = {};
    const thetaFinite = theta.every(Number.isFinite);
    for (const { name, metric } of this.metrics) {
      if (tolerant && !thetaFinite) {
        values[name] = null;
        continue;
      }
      let computed: Record<string, number>;
      try {
        computed = await metric.compute({
          theta,
          layout: this.environment.model.layout,
          model: this.environment.model,
          dataset: this.environment.dataset,
          train: this.environment.train,
          testLoss: this.environment.testLoss,
          predict: this.environment.predict,
          preconditioner: extras.preconditioner,
          ggnvp: this.environment.ggnvp,
          eta,
          step,
          rng: this.environment.rng,
          memory: this.memory,
        });
      } catch (error) {
        if (!tolerant) throw error;
        values[name] = null;
        continue;
      }
      for (const [key, value] of Object.entries(computed)) values[key] = finiteOrNull(value);
    }
    return values;
  }
}

/** `x` when it is a finite number, else `null`. */
export function finiteOrNull(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}
