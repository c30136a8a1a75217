import type { z } from 'zod';
import type { Graph } from './graph-ir';
import type { MetricMemory } from './metric-memory';
import type { ParamLayout } from './params';
import type { Rng } from './rng';
import type { FloatDType, Tensor } from './tensor';

/**
 * The plugin contract version this build of biaslab speaks. A plugin built for another one is refused.
 * Version 2: `MetricNeed` is only `hvp`, metric memory has typed keys, metrics may state the summary
 * quantity they provide, the oracle's label-noise hook became the general `targets`, and a model component no
 * longer declares `batched` (an instance's `batchedGraph` is the one batching capability).
 */
export const API_VERSION = 2;

export type ComponentKind = 'model' | 'optimizer' | 'metric' | 'dataset';
export const COMPONENT_KINDS: readonly ComponentKind[] = ['model', 'optimizer', 'metric', 'dataset'];

/** What every component has: a kind, a name, a one-line summary and a zod schema for its options. */
export interface ComponentBase<K extends ComponentKind, O> {
  readonly kind: K;
  readonly name: string;
  readonly summary: string;
  /** The single source of validation, defaults, CLI help and config checking. */
  readonly options: z.ZodType<O>;
  /** Longer documentation: the formula, the reference. */
  readonly description?: string;
}

// ─── datasets ──────────────────────────────────────────────────────────────────────────────────────────

export type Task = 'regression' | 'classification';

/** One split of a dataset: inputs `x` of shape [n, ...inputShape] and targets `y` of shape [n, outputSize]. */
export interface DataSplit {
  readonly x: Tensor<FloatDType>;
  /** Regression targets, or one-hot rows for classification. */
  readonly y: Tensor<FloatDType>;
  /** Class indices for classification. */
  readonly labels?: Int32Array;
}

export interface Dataset {
  readonly task: Task;
  readonly inputShape: readonly number[];
  readonly outputSize: number;
  readonly train: DataSplit;
  readonly test?: DataSplit;
  /** Where the numbers came from: generator and seed, or file paths and checksums. */
  readonly provenance: string;
  /** The ground-truth linear predictor β*, when the data were generated from one. */
  readonly betaStar?: Float64Array;
}

export interface DatasetContext {
  readonly rng: Rng;
  /** Directory where file-backed datasets look for their files. */
  readonly dataDir?: string;
}

export interface DatasetComponent<O = any> extends ComponentBase<'dataset', O> {
  load(options: O, context: DatasetContext): Promise<Dataset> | Dataset;
}

// ─── models ────────────────────────────────────────────────────────────────────────────────────────────

export interface ModelContext {
  readonly inputShape: readonly number[];
  readonly outputSize: number;
  readonly task: Task;
  readonly dtype: FloatDType;
  readonly rng: Rng;
}

/**
 * A built model: a forward graph whose inputs are `x` (shape [N, ...inputShape]) and one input per parameter,
 * and whose first output is the prediction [N, outputSize]; the parameter layout; θ₀.
 */
export interface ModelInstance {
  readonly graph: Graph;
  readonly layout: ParamLayout;
  readonly init: Float64Array;
  /** The end-to-end linear predictor β(θ), for models that have one (diagonal and linear networks). */
  predictor?(theta: Float64Array): Float64Array;
  /**
   * The same forward pass for `runs` independent parameter sets at once: inputs `x` (as in `graph`) and every
   * parameter with a leading [runs] axis ([runs, ...shape]); first output the predictions [runs, N, outputSize],
   * row k computed from parameter set k alone, by the same ops whatever `runs` and k are (no reduction across
   * rows). With an optimizer that declares `plainGradientDescent`, the lab takes every step of every run from
   * it — a run alone is a group of one — and trains a grid point's learning rates as groups that share one
   * engine call per step; a run's numbers do not depend on its group. Optional.
   */
  batchedGraph?(runs: number): Graph;
}

export interface ModelComponent<O = any> extends ComponentBase<'model', O> {
  /** Builds the model from options already parsed by `options` (defaults filled in, values checked). */
  create(options: O, context: ModelContext): ModelInstance;
}

// ─── the oracle: what optimizers and metrics see of the objective ──────────────────────────────────────

export type LossKind = 'mse' | 'cross-entropy';

/** Statement of the loss normalisation, printed with every result (it scales the Hessian). */
export const LOSS_NORMALISATION: Record<LossKind, string> = {
  mse: 'L(θ) = (1/n) Σᵢ ½‖f(xᵢ) − yᵢ‖² (summed over outputs, averaged over samples)',
  'cross-entropy': 'L(θ) = (1/n) Σᵢ −log softmax(f(xᵢ))[yᵢ] (averaged over samples)',
};

/** Full-batch training loss L(θ) and its exact derivatives. Vectors are over the whole flat θ. */
export interface Oracle {
  /** Length of θ. */
  readonly size: number;
  loss(theta: Float64Array): Promise<number>;
  grad(theta: Float64Array): Promise<{ loss: number; grad: Float64Array }>;
  /** Exact Hessian-vector product ∇²L(θ)·v. */
  hvp(theta: Float64Array, v: Float64Array): Promise<Float64Array>;
  /**
   * The same loss over a subset of the training samples (row indices into the training split), for
   * stochastic methods (SGD, label noise) and minibatch metrics. Absent where the objective cannot subset.
   */
  minibatch?(indices: readonly number[]): Oracle;
  /** Number of training samples n (what `minibatch` indexes into). */
  readonly samples?: number;
  /** The targets the loss compares with, and the loss against other targets. Absent where not available. */
  readonly targets?: OracleTargets;
}

/** The targets y of an objective, for methods that train on changed targets (label noise). */
export interface OracleTargets {
  /** The loss that compares predictions with the targets: regression values (`mse`) or one-hot rows. */
  readonly loss: LossKind;
  /** y, row-major [n, outputs], as the objective holds them (in its dtype). */
  readonly values: Float64Array;
  /** L and ∇L of the same loss with y replaced by `targets` (row-major [n, outputs], as long as `values`). */
  grad(theta: Float64Array, targets: Float64Array): Promise<{ loss: number; grad: Float64Array }>;
}

// ─── optimizers ────────────────────────────────────────────────────────────────────────────────────────

export interface OptimizerStepInput<S> {
  readonly theta: Float64Array;
  readonly state: S;
  readonly eta: number;
  /** 0-based index of this step. */
  readonly step: number;
  readonly oracle: Oracle;
  readonly rng: Rng;
}

export interface OptimizerStepResult<S> {
  /** θ after the step (a new array: optimizers never mutate their inputs). */
  readonly theta: Float64Array;
  readonly state: S;
  /** L at the θ the step started from, when the step computed it (saves the lab a loss evaluation). */
  readonly loss?: number;
  /** ‖∇L‖₂ at the θ the step started from, when computed. */
  readonly gradNorm?: number;
}

/** An optax-like state machine over flat parameter vectors. */
export interface Optimizer<S = unknown> {
  init(theta: Float64Array): S;
  step(input: OptimizerStepInput<S>): Promise<OptimizerStepResult<S>>;
  /**
   * For adaptive methods: the diagonal of the preconditioner P⁻¹ the next step applies to the gradient
   * (θ⁺ = θ − η·P⁻¹·update), so metrics can report the preconditioned ("effective") sharpness λ_max(P⁻¹H).
   */
  preconditioner?(state: S): Float64Array | undefined;
  /**
   * True when every step is exactly θ⁺ = θ − η∇L(θ) with ∇L(θ) from one `oracle.grad(θ)`, the state unchanged,
   * and `loss`/`gradNorm` computed from that call. For a model with `batchedGraph` the lab then computes the
   * steps of many runs in one graph and calls `step` itself only at the iterates whose rows it writes (for
   * `gradNorm`), checking that its θ⁺ is the graph's to the bit.
   */
  readonly plainGradientDescent?: boolean;
}

export interface OptimizerComponent<O = any> extends ComponentBase<'optimizer', O> {
  create(options: O): Optimizer<any>;
}

// ─── metrics ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * What the lab builds only when a chosen metric needs it: `hvp`, the Hessian-vector-product graph behind
 * `train.hvp`. Everything else in `MetricContext` is always there or marked optional.
 */
export type MetricNeed = 'hvp';

/**
 * Quantities of a run's summary row that a metric can provide from its headline value (the key equal to its
 * name): `sharpness`, S = max |λ(∇²L(θ))|, and `testError`, the error on the test split.
 */
export type SummaryQuantity = 'sharpness' | 'testError';

export interface MetricContext {
  readonly theta: Float64Array;
  readonly layout: ParamLayout;
  readonly model: ModelInstance;
  readonly dataset: Dataset;
  /** The training objective (full batch). */
  readonly train: Oracle;
  /** Loss on the test split, when the dataset has one. */
  readonly testLoss?: (theta: Float64Array) => Promise<number>;
  readonly eta: number;
  readonly step: number;
  readonly rng: Rng;
  /** Per-run scratch space that survives between evaluations (a warm-start eigenvector, say), typed by key. */
  readonly memory: MetricMemory;
  /** Model outputs f(x) on a split, row-major [n, outputSize] (for accuracy and margins). */
  readonly predict?: (theta: Float64Array, split: 'train' | 'test') => Promise<Float64Array>;
  /** Diagonal of the optimizer's current preconditioner P⁻¹, for adaptive methods (see Optimizer.preconditioner). */
  readonly preconditioner?: Float64Array;
  /** Gauss–Newton-vector product G(θ)·v of the training loss, where the runtime provides it. */
  readonly ggnvp?: (theta: Float64Array, v: Float64Array) => Promise<Float64Array>;
}

/** What a metric sees on every step when it asks to observe the trajectory (cheap by contract). */
export interface MetricObservation {
  readonly theta: Float64Array;
  readonly step: number;
  readonly eta: number;
  readonly memory: MetricMemory;
}

export interface Metric {
  /** Named numbers; keys are prefixed by the metric's name (`sharpness`, `sharpness.residual`, …). */
  compute(context: MetricContext): Promise<Record<string, number>>;
  /**
   * Called by the lab after every step with the new iterate, for metrics that need the trajectory (averages of
   * the last k iterates). Must be cheap: O(P) work.
   */
  observe?(observation: MetricObservation): void;
}

export interface MetricComponent<O = any> extends ComponentBase<'metric', O> {
  /** `['hvp']` when `compute` calls `train.hvp`, else `[]`. */
  readonly needs: readonly MetricNeed[];
  /** The summary quantity this metric's headline value is; the first chosen metric providing one fills it. */
  readonly provides?: SummaryQuantity;
  create(options: O): Metric;
}

// ─── plugins ───────────────────────────────────────────────────────────────────────────────────────────

export type Component = ModelComponent | OptimizerComponent | MetricComponent | DatasetComponent;

export interface ComponentOfKind {
  model: ModelComponent;
  optimizer: OptimizerComponent;
  metric: MetricComponent;
  dataset: DatasetComponent;
}

/** A plugin is a plain value: importing a package registers nothing. */
export interface Plugin {
  readonly name: string;
  readonly apiVersion: number;
  readonly components: readonly Component[];
}

/** Identity helpers that give plugin authors type inference for their options. */
export function definePlugin(plugin: Plugin): Plugin {
  return plugin;
}
export function defineModel<O>(c: Omit<ModelComponent<O>, 'kind'>): ModelComponent<O> {
  return { kind: 'model', ...c };
}
export function defineOptimizer<O>(c: Omit<OptimizerComponent<O>, 'kind'>): OptimizerComponent<O> {
  return { kind: 'optimizer', ...c };
}
export function defineMetric<O>(c: Omit<MetricComponent<O>, 'kind'>): MetricComponent<O> {
  return { kind: 'metric', ...c };
}
export function defineDataset<O>(c: Omit<DatasetComponent<O>, 'kind'>): DatasetComponent<O> {
  return { kind: 'dataset', ...c };
}
