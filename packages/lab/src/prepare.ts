import { BiaslabError, Rng, isBiaslabError } from '@biaslab/core';
import type { Dataset, ModelInstance, Optimizer, Oracle } from '@biaslab/core';
import { createObjective } from '@biaslab/runtime';
import type { ObjectiveOptions } from '@biaslab/runtime';
import type { ResolvedPoint } from './resolve-experiment';
import { MetricEvaluator } from './metric-evaluator';
import type { MetricValues } from '@biaslab/results';
import type { EvaluationExtras, MetricEnvironment, ResolvedMetric } from './metric-evaluator';

/** An objective the lab can train on and release. `createObjective` from @biaslab/runtime makes one. */
export type LabObjective = Oracle & {
  dispose(): Promise<void>;
  /** Model outputs on the objective's split, row-major [n, outputSize]. */
  predict?(theta: Float64Array): Promise<Float64Array>;
  /** Gauss–Newton-vector product G(θ)·v of the training loss. */
  ggnvp?(theta: Float64Array, v: Float64Array): Promise<Float64Array>;
};

/** The metrics of one run: evaluation at chosen iterates and the per-step observation. */
export interface RunMetricHooks {
  evaluate(
    theta: Float64Array,
    eta: number,
    step: number,
    tolerant: boolean,
    extras?: EvaluationExtras,
  ): Promise<MetricValues>;
  /** Present when some metric observes the trajectory. */
  readonly observe?: (theta: Float64Array, step: number, eta: number) => void;
}

/** Builds an objective; defaults to `createObjective` of @biaslab/runtime (tests inject plain-JS ones). */
export type ObjectiveFactory = (options: ObjectiveOptions) => Promise<LabObjective>;

/** Everything built once per experiment and shared by all its runs. */
export interface PreparedExperiment {
  readonly resolved: ResolvedPoint;
  readonly dataset: Dataset;
  readonly model: ModelInstance;
  /** θ₀ from the seed, shared by every run and by the flow. */
  readonly theta0: Float64Array;
  readonly train: LabObjective;
  readonly test?: LabObjective;
  /** A fresh optimizer. */
  createOptimizer(): Optimizer<any>;
  /**
   * The metrics of one run, with their own memory and a random stream forked from the seed by `runKey`
   * (so a run's numbers do not depend on which runs came before it in this process).
   */
  createMetrics(runKey?: string): RunMetricHooks;
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
  resolved: ResolvedPoint,
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
  const train = await withRuleCheck(resolved, 'gradients', () =>
    factory({ ...common, data: dataset.train, hvp: needsHvp }),
  );
  if (needsHvp) {
    // The HVP graph is built on first use: build it now, so a missing rule stops the experiment before any run.
    await withRuleCheck(resolved, 'hvp', () => train.hvp(model.init, new Float64Array(train.size))).catch(
      async (error: unknown) => {
        await train.dispose();
        throw error;
      },
    );
  }
  const test =
    dataset.test && resolved.metrics.length > 0
      ? await factory({ ...common, data: dataset.test, hvp: false })
      : undefined;
  const metricsRng = root.fork('metrics');
  const environment = (rng: Rng): MetricEnvironment => ({
    model,
    dataset,
    train,
    testLoss: test ? (theta: Float64Array) => test.loss(theta) : undefined,
    predict: train.predict
      ? (theta, split) => {
          const source = split === 'train' ? train : test;
          if (!source?.predict) {
            throw new BiaslabError(
              'DATA',
              `Predictions on the \`${split}\` split were asked for, but dataset \`${resolved.dataset.name}\` has no such split.`,
            );
          }
          return source.predict(theta);
        }
      : undefined,
    ggnvp: train.ggnvp ? (theta, v) => train.ggnvp!(theta, v) : undefined,
    rng,
  });
  const metricList: ResolvedMetric[] = resolved.metrics.map((m) => ({
    name: m.name,
    metric: m.component.create(m.options),
  }));

  let sharpness: ((theta: Float64Array) => Promise<number>) | undefined;
  if (resolved.flowEnabled && resolved.flowSharpness) {
    const key = resolved.flowSharpness.name;
    const flowEvaluator = new MetricEvaluator(environment(metricsRng.fork('flow')), [
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
    createMetrics(runKey = 'run') {
      const evaluator = new MetricEvaluator(environment(metricsRng.fork(runKey)), metricList);
      return {
        evaluate: (theta, eta, step, tolerant, extras) =>
          evaluator.evaluate(theta, eta, step, tolerant, extras),
        observe: evaluator.observes ? (theta, step, eta) => evaluator.observe(theta, step, eta) : undefined,
      };
    },
    sharpness,
    async dispose() {
      await train.dispose();
      await test?.dispose();
    },
  };
}

/**
 * Runs `build` and turns a missing differentiation rule (`NO_RULE`) into an error that names what needed
 * the derivative (training gradients, or the metrics and flow that need Hessian-vector products) and the fix.
 */
async function withRuleCheck<T>(
  point: ResolvedPoint,
  what: 'gradients' | 'hvp',
  build: () => Promise<T>,
): Promise<T> {
  try {
    return await build();
  } catch (error) {
    if (!isBiaslabError(error, 'NO_RULE')) throw error;
    const model = `\`model/${point.model.name}\``;
    if (what === 'gradients') {
      throw new BiaslabError(
        'NO_RULE',
        `Training ${model} needs its gradient, and its graph has an op without a differentiation rule: ${error.message}`,
        error.details as Record<string, unknown>,
        { cause: error },
      );
    }
    const users = [
      ...point.metrics.filter((m) => m.component.needs.includes('hvp')).map((m) => `metric \`${m.name}\``),
      ...(point.flowEnabled && point.flowSharpness?.component.needs.includes('hvp')
        ? ['the gradient-flow reference']
        : []),
    ];
    throw new BiaslabError(
      'NO_RULE',
      `${users.join(' and ')} need${users.length === 1 ? 's' : ''} Hessian-vector products, which ${model} cannot give: ` +
        `${error.message} Remove ${users.length === 1 ? 'it' : 'them'} (\`--metrics\`, \`--no-flow\`) or choose a model whose ops all have second-order rules.`,
      error.details as Record<string, unknown>,
      { cause: error },
    );
  }
}
