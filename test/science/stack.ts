// The real biaslab stack for the science tests: dataset plugin → model plugin → runtime objective (autodiff
// gradient and HVP graphs on onnxruntime) → GD optimizer plugin, and the metrics package's eigensolvers.
// Nothing here knows a closed form; the tests compare what this computes with independent formulas.
import { Rng, createMetricMemory, parseOptions } from '@biaslab/core';
import type {
  Dataset,
  DatasetComponent,
  LossKind,
  MetricComponent,
  ModelComponent,
  ModelInstance,
  Oracle,
} from '@biaslab/core';
import { gdOptimizer } from '@biaslab/optimizers';
import { createObjective } from '@biaslab/runtime';
import type { Objective } from '@biaslab/runtime';
import { lanczos, symmetricEigen } from '@biaslab/linalg';
import type { LanczosResult } from '@biaslab/linalg';
import { denseHessian } from '@biaslab/metrics';

/** A dataset from its plugin component, options validated (and defaulted) by the component's own schema. */
export async function loadDataset(component: DatasetComponent, raw: unknown, seed: number): Promise<Dataset> {
  const options = parseOptions(component.options, raw, `dataset/${component.name}`);
  return component.load(options, { rng: new Rng(seed).fork('dataset') });
}

/** A model built by its plugin for `dataset`, and the float64 full-batch objective over the training split. */
export interface Problem {
  readonly model: ModelInstance;
  readonly objective: Objective;
}

export async function buildProblem(
  component: ModelComponent,
  raw: unknown,
  dataset: Dataset,
  loss: LossKind,
  seed: number,
): Promise<Problem> {
  const options = parseOptions(component.options, raw, `model/${component.name}`);
  const model = component.create(options, {
    inputShape: dataset.inputShape,
    outputSize: dataset.outputSize,
    task: dataset.task,
    dtype: 'float64',
    rng: new Rng(seed).fork('model'),
  });
  const objective = await createObjective({ model, loss, data: dataset.train, dtype: 'float64' });
  return { model, objective };
}

/** Where a GD run stopped. */
export interface GdRun {
  /** θ at which the stop rule fired (or the last θ at the cap). */
  readonly theta: Float64Array;
  /** L(θ) at that θ. */
  readonly loss: number;
  /** GD steps taken to get there. */
  readonly steps: number;
  readonly converged: boolean;
}

/**
 * Full-batch GD through `optimizer/gd` from θ₀ with step η, until L < `lossBelow` at `consecutive` successive
 * iterates (the stop rule of docs/science.md) or `maxSteps`. A run that hits the cap reports `converged: false`.
 */
export async function runGd(
  oracle: Oracle,
  theta0: Float64Array,
  eta: number,
  stop: { lossBelow: number; consecutive: number; maxSteps: number; seed: number },
): Promise<GdRun> {
  const optimizer = gdOptimizer.create(parseOptions(gdOptimizer.options, {}, 'optimizer/gd'));
  const rng = new Rng(stop.seed).fork('optimizer');
  let theta: Float64Array = Float64Array.from(theta0);
  let state = optimizer.init(theta);
  let below = 0;
  for (let step = 0; step < stop.maxSteps; step++) {
    const result = await optimizer.step({ theta, state, eta, step, oracle, rng });
    const loss = result.loss ?? (await oracle.loss(theta));
    below = loss < stop.lossBelow ? below + 1 : 0;
    if (below >= stop.consecutive) return { theta, loss, steps: step, converged: true };
    if (!Number.isFinite(loss)) return { theta, loss, steps: step, converged: false };
    theta = result.theta;
    state = result.state;
  }
  return { theta, loss: await oracle.loss(theta), steps: stop.maxSteps, converged: false };
}

/** Lanczos (metrics package) on the objective's exact HVP at θ, from a start vector drawn from `seed`. */
export function lanczosTop(oracle: Oracle, theta: Float64Array, seed: number): Promise<LanczosResult> {
  return lanczos((v) => oracle.hvp(theta, v), oracle.size, { rng: new Rng(seed).fork('lanczos') });
}

/** The eigenvalue of largest magnitude, with its sign, of a spectrum sorted ascending. */
export function dominant(ascending: ArrayLike<number>): number {
  const lo = ascending[0];
  const hi = ascending[ascending.length - 1];
  return Math.abs(hi) >= Math.abs(lo) ? hi : lo;
}

/** The dense Hessian from P HVPs (metrics package) and its dominant eigenvalue from the dense eigensolver. */
export async function denseTop(
  oracle: Oracle,
  theta: Float64Array,
): Promise<{ value: number; matrix: Float64Array; relativeAsymmetry: number }> {
  const hessian = await denseHessian(oracle, theta);
  const { values } = symmetricEigen(hessian.matrix, hessian.size);
  return { value: dominant(values), matrix: hessian.matrix, relativeAsymmetry: hessian.relativeAsymmetry };
}

/** ‖a − b‖₂ / ‖b‖₂. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

/** |a − b| / |b|. */
export function relativeGap(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

/** Runs a metric component (options through its schema) at θ, the way the lab calls it. */
export async function measure(
  component: MetricComponent,
  raw: unknown,
  at: {
    theta: Float64Array;
    model: ModelInstance;
    dataset: Dataset;
    train: Oracle;
    eta: number;
    seed: number;
  },
): Promise<Record<string, number>> {
  const metric = component.create(parseOptions(component.options, raw, `metric/${component.name}`));
  return metric.compute({
    theta: at.theta,
    layout: at.model.layout,
    model: at.model,
    dataset: at.dataset,
    train: at.train,
    eta: at.eta,
    step: 0,
    rng: new Rng(at.seed).fork('metric'),
    memory: createMetricMemory(),
  });
}
