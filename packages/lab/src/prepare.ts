import { Rng } from '@biaslab/core';
import type { Dataset, ModelInstance, Optimizer, Oracle } from '@biaslab/core';
import { createObjective } from '@biaslab/runtime';
import type { ObjectiveOptions } from '@biaslab/runtime';
import type { ResolvedExperiment } from './experiment';
import { MetricEvaluator } from './metric-evaluator';
import type { MetricValues, ResolvedMetric } from './metric-evaluator';

/** An objective the lab can train on and release. `createObjective` from @biaslab/runtime makes one. */
export type LabObjective = Oracle & { dispose(): Promise<void> };

/** Builds an objective; defaults to `createObjective` of @biaslab/runtime (tests inject plain-JS ones). */
export type ObjectiveFactory = (options: ObjectiveOptions) => Promise<LabObjective>;

/** Everything built once per experiment and shared by all its runs. */
export interface PreparedExperiment {
  readonly resolved: ResolvedExperiment;
  readonly dataset: Dataset;
  readonly model: ModelInstance;
  /** θ₀ from the seed, shared by every run and by the flow. */
  readonly theta0: Float64Array;
  readonly train: LabObjective;
  readonly test?: LabObjective;
  /** A fresh optimizer. */
  createOptimizer(): Optimizer<any>;
  /** A metric function for one run (its own memory). */
  createMetrics(): (
    theta: Float64Array,
    eta: number,
    step: number,
    tolerant: boolean,
  ) => Promise<MetricValues>;
  /** S(θ) for the gradient flow, when the flow is enabled. */
  readonly sharpness?: (theta: Float64Array) => Promise<number>;
  /** Releases the compiled objectives. */
  dispose(): Promise<void>;
}

/**
 * Loads the dataset, builds the model and θ₀ from the seed (independent streams `dataset` and `model`), and
 * compiles the training objective once, with the HVP graph only when a metric or the flow needs it.
 */
export async function prepareExperiment(
  resolved: ResolvedExperiment,
  factory: ObjectiveFactory = createObjective,
): Promise<PreparedExperiment> {
  const { config } = resolved;
  const root = new Rng(config.seed);
  const dataset = await resolved.dataset.component.load(resolved.dataset.options, {
    rng: root.fork('dataset'),
  });
  const model = resolved.model.component.create(resolved.model.options, {
    inputShape: dataset.inputShape,
    outputSize: dataset.outputSize,
    task: dataset.task,
    dtype: config.dtype,
    rng: root.fork('model'),
  });
  const needsHvp =
    resolved.metrics.some((m) => m.component.needs.includes('hvp')) ||
    (resolved.flowEnabled && (resolved.flowSharpness?.component.needs.includes('hvp') ?? false));
  const common = { model, loss: resolved.loss, dtype: config.dtype, threads: config.threads };
  const train = await factory({ ...common, data: dataset.train, hvp: needsHvp });
  const test =
    dataset.test && resolved.metrics.length > 0
      ? await factory({ ...common, data: dataset.test, hvp: false })
      : undefined;
  const environment = {
    model,
    dataset,
    train,
    testLoss: test ? (theta: Float64Array) => test.loss(theta) : undefined,
    rng: root.fork('metrics'),
  };
  const metricList: ResolvedMetric[] = resolved.metrics.map((m) => ({
    name: m.name,
    metric: m.component.create(m.options),
    needs: m.component.needs,
  }));

  let sharpness: ((theta: Float64Array) => Promise<number>) | undefined;
  if (resolved.flowEnabled && resolved.flowSharpness) {
    const key = resolved.flowSharpness.name;
    const flowEvaluator = new MetricEvaluator(environment, [
      { name: key, metric: resolved.flowSharpness.component.create(resolved.flowSharpness.options) },
    ]);
    sharpness = async (theta) => {
      const value = (await flowEvaluator.evaluate(theta, 0, 0))[key];
      return value === null || value === undefined ? Number.NaN : value;
    };
  }

  return {
    resolved,
    dataset,
    model,
    theta0: Float64Array.from(model.init),
    train,
    test,
    createOptimizer: () => resolved.optimizer.component.create(resolved.optimizer.options),
    createMetrics() {
      const evaluator = new MetricEvaluator(environment, metricList);
      return (theta, eta, step, tolerant) => evaluator.evaluate(theta, eta, step, tolerant);
    },
    sharpness,
    async dispose() {
      await train.dispose();
      await test?.dispose();
    },
  };
}
