import { BiaslabError, castFloatTensor } from '@biaslab/core';
import type { DataSplit, FloatDType, Graph, LossKind, ParamLayout, Tensor } from '@biaslab/core';
import { gradientGraph, lowerForFloat64 } from '@biaslab/autodiff';
import { DATA_TYPE_CODE, GraphBuilder, attr, convertFloatType } from '@biaslab/onnx';
import { assertFloat64Runnable } from './float64-check';
import { GraphSession } from './graph-session';
import { DATA_INPUT, LOSS_OUTPUT, TARGET_INPUT, fixBatch } from './loss-head';

/** Names of the batched step graph's extra input and outputs. */
const ETA_INPUT = 'eta';
const LOSSES_OUTPUT = 'losses';
const NEXT_PREFIX = 'next/';
const GRAD_PREFIX = 'grad/';

/**
 * The rows a batched graph for `runs` parameter sets is compiled with: `runs`, but never a single row in
 * float32 — onnxruntime's float32 Gemm takes another path for one row, so it would round a run differently
 * from the same run among others (float64 rounds one row alike, tested).
 */
export function batchedRows(runs: number, dtype: FloatDType): number {
  return Math.max(dtype === 'float32' ? 2 : 1, Math.ceil(runs));
}

/** What a batched GD step is built from: a model that offers `batchedGraph`, the loss, the training split. */
export interface BatchedGdOptions {
  readonly model: { readonly layout: ParamLayout; batchedGraph?(runs: number): Graph };
  readonly loss: LossKind;
  readonly data: DataSplit;
  readonly dtype: FloatDType;
  /** Parameter sets (learning rates) trained together; the graph has `batchedRows(runs, dtype)` rows. */
  readonly runs: number;
  /** onnxruntime intra-op threads (default 1). */
  readonly threads?: number;
}

/** One batched step: per-run L(θ_k) and θ_k − η_k∇L(θ_k) (and ∇L(θ_k) when asked), parameter by parameter. */
export interface BatchedGdStep {
  readonly losses: Float64Array;
  /** Per parameter of the layout, the stacked next iterates [runs, ...shape] (row-major). */
  readonly next: readonly Float64Array[];
  /** Per parameter, the stacked gradients ∇L(θ_k) [runs, ...shape], when `step` was asked for them. */
  readonly grads?: readonly Float64Array[];
}

/** Full-batch GD for `runs` parameter sets at once: one onnxruntime run per step for all of them. */
export interface BatchedGd {
  /** Rows of the compiled graph. */
  readonly runs: number;
  /**
   * Evaluates every row at its θ_k and takes its GD step. `params[j]` stacks parameter j of the layout for
   * all rows ([runs, ...shape], row k = run k); `etas[k]` is row k's learning rate. With `gradients`, the
   * step also returns ∇L(θ_k) (the same run computes it either way). Inputs are not modified.
   */
  step(params: readonly Float64Array[], etas: Float64Array, gradients?: boolean): Promise<BatchedGdStep>;
  dispose(): Promise<void>;
}

/**
 * Compiles one graph that, for `runs` stacked parameter sets θ_1…θ_K, computes every run's training loss
 * L(θ_k) (the normalisation of `withLoss`), its gradient and the plain GD step θ_k − η_k∇L(θ_k). The gradient
 * is the reverse-mode gradient of Σ_k L(θ_k): its block k is ∇L(θ_k), because row k of the batched model
 * depends on θ_k alone. All runs share one read of the data per step (for the diagonal network, one Gemm
 * B·xᵀ instead of K matrix-vector products). Each run's loss is reduced from a tensor of its own (a `Split`
 * of the squared residuals), so a run's numbers depend neither on its row nor on the number of rows, bit for
 * bit (tested). θ, η, ∇L and θ⁺ are float64 whatever the dtype — a float32 model reads θ rounded, as from
 * `createObjective` — so the step θ − η·g equals an optimizer's θ + (−η·g) exactly. Needs `model.batchedGraph`.
 */
export async function createBatchedGd(options: BatchedGdOptions): Promise<BatchedGd> {
  const { model, data, dtype, loss } = options;
  if (!model.batchedGraph) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      'This model has no batched forward graph (`batchedGraph`); train its learning rates one run at a time.',
    );
  }
  const runs = batchedRows(options.runs, dtype);
  const { layout } = model;
  const n = data.x.shape[0];
  let forward = convertFloatType(fixBatch(model.batchedGraph(runs), n), dtype);
  forward = dtype === 'float64' ? lowerForFloat64(forward) : float64Parameters(forward, layout.names);
  const graph = stepGraph(withBatchedLoss(forward, loss, runs, n, dtype), layout, runs);
  if (dtype === 'float64') assertFloat64Runnable(graph, `the batched GD graph of \`${forward.name}\``);
  const session = await GraphSession.create(graph, {
    threads: options.threads ?? 1,
    optimization: dtype === 'float64' ? 'basic' : 'all',
  });
  const fixed: Record<string, Tensor> = {
    [DATA_INPUT]: castFloatTensor(data.x, dtype),
    [TARGET_INPUT]: castFloatTensor(data.y, dtype),
  };
  const trained = layout.slots.filter((s) => s.trainable !== false);
  const withoutGradients = [LOSSES_OUTPUT, ...trained.map((s) => NEXT_PREFIX + s.name)];
  const withGradients = [...withoutGradients, ...trained.map((s) => GRAD_PREFIX + s.name)];
  // θ, η, ∇L and θ⁺ are float64 whatever the dtype (the model computes in `dtype`)
  const toFeed = (values: Float64Array, shape: readonly number[]): Tensor =>
    ({ dtype: 'float64', shape, data: values }) as Tensor;
  const toF64 = (t: Tensor): Float64Array =>
    t.data instanceof Float64Array ? t.data : Float64Array.from(t.data as Float32Array);

  return {
    runs,
    async step(params, etas, gradients = false) {
      if (params.length !== layout.slots.length || etas.length !== runs) {
        throw new BiaslabError(
          'SHAPE',
          `A batched step takes ${layout.slots.length} stacked parameters and ${runs} learning rates; received ${params.length} and ${etas.length}`,
        );
      }
      const feeds: Record<string, Tensor> = { ...fixed, [ETA_INPUT]: toFeed(etas, [runs]) };
      layout.slots.forEach((s, j) => {
        if (params[j].length !== runs * s.size) {
          throw new BiaslabError(
            'SHAPE',
            `Stacked parameter \`${s.name}\` has ${params[j].length} entries; ${runs} runs × ${s.size} expected`,
          );
        }
        feeds[s.name] = toFeed(params[j], [runs, ...s.shape]);
      });
      const out = await session.run(feeds, gradients ? withGradients : withoutGradients);
      const perSlot = (prefix: string, frozen: (j: number) => Float64Array) =>
        layout.slots.map((s, j) => (s.trainable === false ? frozen(j) : toF64(out[prefix + s.name])));
      return {
        losses: toF64(out[LOSSES_OUTPUT]),
        next: perSlot(NEXT_PREFIX, (j) => params[j]),
        ...(gradients ? { grads: perSlot(GRAD_PREFIX, (j) => new Float64Array(params[j].length)) } : {}),
      };
    },
    dispose: () => session.release(),
  };
}

/**
 * The loss head for predictions [runs, n, k]: per-run losses [runs] (`losses`) and their sum (`loss`), with
 * the normalisation of `withLoss` — MSE (1/n)Σᵢ½‖f(xᵢ) − yᵢ‖², cross-entropy −(1/n)Σᵢ⟨yᵢ, log softmax f(xᵢ)⟩.
 * Elementwise work runs on the whole batch; every reduction reads one run's `Split` tensor, a buffer of its
 * own (a reduction over a slice at an unaligned offset rounds differently from the same values alone).
 */
function withBatchedLoss(forward: Graph, loss: LossKind, runs: number, n: number, dtype: FloatDType): Graph {
  const prediction = forward.outputs[0];
  const [r, rows, k] = prediction?.shape ?? [];
  if (prediction?.shape.length !== 3 || r !== runs || rows !== n || typeof k !== 'number') {
    throw new BiaslabError(
      'SHAPE',
      `A batched model graph must output [runs, N, outputs] = [${runs}, ${n}, k]; \`${forward.name}\` outputs [${prediction?.shape.join(', ') ?? ''}]`,
    );
  }
  const g = GraphBuilder.from(forward, `${forward.name}+${loss}`);
  const y = g.addInput(TARGET_INPUT, dtype, [n, k]);
  const split = (value: string) => g.opMulti('Split', [value], runs, { axis: attr.int(0) }, `${value}_run`);
  let sums: string[];
  if (loss === 'mse') {
    const residual = g.op('Sub', [prediction.name, y], {}, 'residual');
    const squared = g.op('Mul', [residual, residual], {}, 'squared');
    sums = split(squared).map((part) => g.op('ReduceSum', [part], { keepdims: attr.int(1) }, 'sum_sq'));
  } else {
    // per run from the start: LogSoftmax reduces over the outputs of each sample
    sums = split(prediction.name).map((part) => {
      const logp = g.op('LogSoftmax', [part], { axis: attr.int(2) }, 'log_probs');
      return g.op('ReduceSum', [g.op('Mul', [logp, y], {}, 'picked')], { keepdims: attr.int(1) }, 'sum_logp');
    });
  }
  const stacked = g.op('Concat', sums, { axis: attr.int(0) }, 'sums');
  const flat = g.op('Reshape', [stacked, g.int64s([runs], 'runs_shape')], {}, 'sums_flat');
  const scale = g.scalar(loss === 'mse' ? 0.5 / n : -1 / n, dtype, 'normalisation');
  const perRun = g.op('Mul', [flat, scale], {}, LOSSES_OUTPUT);
  g.op('ReduceSum', [perRun], { keepdims: attr.int(0) }, LOSS_OUTPUT);
  g.addOutput(LOSS_OUTPUT, dtype, []);
  return g.build();
}

/**
 * A float32 model graph whose parameter inputs are float64, cast to float32 on the way in: θ stays float64 and
 * is rounded only where the model reads it, as `createObjective` rounds it into its feeds, and ∇L comes back
 * as float64 through the cast's VJP.
 */
function float64Parameters(graph: Graph, names: readonly string[]): Graph {
  const rounded = new Map(names.map((name) => [name, `${name}/float32`]));
  return {
    ...graph,
    inputs: graph.inputs.map((i) => (rounded.has(i.name) ? { ...i, dtype: 'float64' } : i)),
    nodes: [
      ...names.map((name) => ({
        op: 'Cast',
        name: `${name}/cast`,
        inputs: [name],
        outputs: [rounded.get(name)!],
        attributes: { to: attr.int(DATA_TYPE_CODE.float32) },
      })),
      ...graph.nodes.map((node) => ({ ...node, inputs: node.inputs.map((i) => rounded.get(i) ?? i) })),
    ],
  };
}

/** The gradient graph of the summed loss, extended with the per-run losses, the gradients and the GD step. */
function stepGraph(lossGraph: Graph, layout: ParamLayout, runs: number): Graph {
  const wrt = layout.slots.filter((s) => s.trainable !== false);
  const gradient = gradientGraph(lossGraph, { loss: LOSS_OUTPUT, wrt: wrt.map((s) => s.name) });
  const g = GraphBuilder.from(gradient, `${lossGraph.name}+gd`);
  const eta = g.addInput(ETA_INPUT, 'float64', [runs]);
  for (const s of wrt) {
    const grad = GRAD_PREFIX + s.name;
    const column = g.op('Reshape', [eta, g.int64s([runs, ...s.shape.map(() => 1)], `${s.name}_eta_shape`)]);
    // θ⁺ = θ − η∇L(θ), row by row
    g.op('Sub', [s.name, g.op('Mul', [column, grad])], {}, NEXT_PREFIX + s.name);
    g.addOutput(NEXT_PREFIX + s.name, 'float64', [runs, ...s.shape]);
    g.addOutput(grad, 'float64', [runs, ...s.shape]);
  }
  g.addOutput(LOSSES_OUTPUT, lossGraph.outputs[0].dtype, [runs]);
  return g.build();
}

/**
 * The layout `BatchedGd.step` takes: one [runs, ...shape] array per parameter of `layout`, row k holding that
 * parameter of `thetas[k]` (flat vectors in layout order).
 */
export function stackParameters(layout: ParamLayout, thetas: readonly Float64Array[]): Float64Array[] {
  return layout.slots.map((s) => {
    const out = new Float64Array(thetas.length * s.size);
    thetas.forEach((t, r) => out.set(t.subarray(s.offset, s.offset + s.size), r * s.size));
    return out;
  });
}

/** Row `row` of stacked parameters (`stackParameters`) as one flat vector in layout order. */
export function parameterRow(
  layout: ParamLayout,
  stacked: readonly Float64Array[],
  row: number,
): Float64Array {
  const theta = new Float64Array(layout.size);
  layout.slots.forEach((s, j) => theta.set(stacked[j].subarray(row * s.size, (row + 1) * s.size), s.offset));
  return theta;
}
