import { BiaslabError, castFloatTensor } from '@biaslab/core';
import type { DataSplit, FloatDType, Graph, LossKind, ParamLayout, Tensor } from '@biaslab/core';
import { gradientGraph, lowerForFloat64 } from '@biaslab/autodiff';
import { GraphBuilder, attr, convertFloatType } from '@biaslab/onnx';
import { assertFloat64Runnable } from './float64-check';
import { GraphSession } from './graph-session';
import { DATA_INPUT, LOSS_OUTPUT, TARGET_INPUT, fixBatch } from './loss-head';

/** Names of the batched step graph's extra input and outputs. */
const ETA_INPUT = 'eta';
const LOSSES_OUTPUT = 'losses';
const GRAD_SQ_OUTPUT = 'grad_sq';
const NEXT_PREFIX = 'next/';

/** What a batched GD stepper is built from: a model with `batchedGraph`, the loss, the training split. */
export interface BatchedGdOptions {
  readonly model: { readonly layout: ParamLayout; batchedGraph?(runs: number): Graph };
  readonly loss: LossKind;
  readonly data: DataSplit;
  readonly dtype: FloatDType;
  /** Number of parameter sets (learning rates) trained together. */
  readonly runs: number;
  /** onnxruntime intra-op threads (default 1). */
  readonly threads?: number;
}

/** One batched step: per-run L(θ_k), ‖∇L(θ_k)‖₂ and θ_k − η_k∇L(θ_k), parameter by parameter. */
export interface BatchedGdStep {
  readonly losses: Float64Array;
  readonly gradNorms: Float64Array;
  /** Per parameter of the layout, the stacked next iterates [runs, ...shape] (row-major). */
  readonly next: readonly Float64Array[];
}

/** Full-batch GD for `runs` parameter sets at once: one onnxruntime run per step for all of them. */
export interface BatchedGd {
  readonly runs: number;
  /**
   * Evaluates every run at its θ_k and takes its GD step. `params[j]` stacks parameter j of the layout for
   * all runs ([runs, ...shape], row k = run k); `etas[k]` is run k's learning rate. Inputs are not modified.
   */
  step(params: readonly Float64Array[], etas: Float64Array): Promise<BatchedGdStep>;
  dispose(): Promise<void>;
}

/**
 * Compiles one graph that, for `runs` stacked parameter sets θ_1…θ_K, computes every run's training loss
 * L(θ_k) (the normalisation of `withLoss`), ‖∇L(θ_k)‖₂ and the plain GD step θ_k − η_k∇L(θ_k). The gradient
 * is the reverse-mode gradient of Σ_k L(θ_k): its block k is ∇L(θ_k), because run k's rows of the batched
 * model depend on θ_k alone. All runs share one read of the data per step (for the diagonal network, one
 * Gemm B·xᵀ instead of K matrix-vector products). Needs `model.batchedGraph`.
 */
export async function createBatchedGd(options: BatchedGdOptions): Promise<BatchedGd> {
  const { model, data, dtype, runs, loss } = options;
  if (!model.batchedGraph) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      'This model has no batched forward graph (`batchedGraph`); train its learning rates one run at a time.',
    );
  }
  const { layout } = model;
  const n = data.x.shape[0];
  let forward = convertFloatType(fixBatch(model.batchedGraph(runs), n), dtype);
  if (dtype === 'float64') forward = lowerForFloat64(forward);
  const graph = stepGraph(withBatchedLoss(forward, loss, runs, n, dtype), layout, runs, dtype);
  if (dtype === 'float64') assertFloat64Runnable(graph, `the batched GD graph of \`${forward.name}\``);
  const session = await GraphSession.create(graph, {
    threads: options.threads ?? 1,
    optimization: dtype === 'float64' ? 'basic' : 'all',
  });
  const fixed: Record<string, Tensor> = {
    [DATA_INPUT]: castFloatTensor(data.x, dtype),
    [TARGET_INPUT]: castFloatTensor(data.y, dtype),
  };
  const toFeed = (values: Float64Array, shape: readonly number[]): Tensor =>
    ({ dtype, shape, data: dtype === 'float64' ? values : Float32Array.from(values) }) as Tensor;
  const toF64 = (t: Tensor): Float64Array =>
    t.data instanceof Float64Array ? t.data : Float64Array.from(t.data as Float32Array);

  return {
    runs,
    async step(params, etas) {
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
      const out = await session.run(feeds);
      const gradSq = toF64(out[GRAD_SQ_OUTPUT]);
      return {
        losses: toF64(out[LOSSES_OUTPUT]),
        gradNorms: gradSq.map(Math.sqrt),
        next: layout.slots.map((s, j) =>
          s.trainable === false ? params[j] : toF64(out[NEXT_PREFIX + s.name]),
        ),
      };
    },
    dispose: () => session.release(),
  };
}

/**
 * The loss head for predictions [runs, n, k]: per-run losses [runs] (`losses`) and their sum (`loss`), with
 * the normalisation of `withLoss` — MSE (1/n)Σᵢ½‖f(xᵢ) − yᵢ‖², cross-entropy −(1/n)Σᵢ⟨yᵢ, log softmax f(xᵢ)⟩.
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
  const sampleAxes = g.int64s([1, 2], 'sample_axes');
  let perRun: string;
  if (loss === 'mse') {
    const residual = g.op('Sub', [prediction.name, y], {}, 'residual');
    const squared = g.op('Mul', [residual, residual], {}, 'squared');
    const sum = g.op('ReduceSum', [squared, sampleAxes], { keepdims: attr.int(0) }, 'sum_sq');
    perRun = g.op('Mul', [sum, g.scalar(0.5 / n, dtype, 'half_over_n')], {}, LOSSES_OUTPUT);
  } else {
    const logp = g.op('LogSoftmax', [prediction.name], { axis: attr.int(2) }, 'log_probs');
    const picked = g.op('Mul', [logp, y], {}, 'picked');
    const sum = g.op('ReduceSum', [picked, sampleAxes], { keepdims: attr.int(0) }, 'sum_logp');
    perRun = g.op('Mul', [sum, g.scalar(-1 / n, dtype, 'minus_one_over_n')], {}, LOSSES_OUTPUT);
  }
  g.op('ReduceSum', [perRun], { keepdims: attr.int(0) }, LOSS_OUTPUT);
  g.addOutput(LOSS_OUTPUT, dtype, []);
  return g.build();
}

/** The gradient graph of the summed loss, extended with the per-run losses, ‖∇L(θ_k)‖² and the GD step. */
function stepGraph(lossGraph: Graph, layout: ParamLayout, runs: number, dtype: FloatDType): Graph {
  const wrt = layout.slots.filter((s) => s.trainable !== false);
  const gradient = gradientGraph(lossGraph, { loss: LOSS_OUTPUT, wrt: wrt.map((s) => s.name) });
  const g = GraphBuilder.from(gradient, `${lossGraph.name}+gd`);
  const eta = g.addInput(ETA_INPUT, dtype, [runs]);
  const squares: string[] = [];
  for (const s of wrt) {
    const grad = `grad/${s.name}`;
    const column = g.op('Reshape', [eta, g.int64s([runs, ...s.shape.map(() => 1)], `${s.name}_eta_shape`)]);
    const update = g.op('Mul', [column, grad]);
    g.op('Sub', [s.name, update], {}, NEXT_PREFIX + s.name);
    g.addOutput(NEXT_PREFIX + s.name, dtype, [runs, ...s.shape]);
    const square = g.op('Mul', [grad, grad]);
    const axes = s.shape.map((_, i) => i + 1);
    squares.push(
      axes.length === 0
        ? square
        : g.op('ReduceSum', [square, g.int64s(axes, `${s.name}_axes`)], { keepdims: attr.int(0) }),
    );
  }
  const total = squares.reduce((acc, sq) => g.op('Add', [acc, sq]));
  g.op('Identity', [total], {}, GRAD_SQ_OUTPUT);
  g.addOutput(LOSSES_OUTPUT, dtype, [runs]);
  g.addOutput(GRAD_SQ_OUTPUT, dtype, [runs]);
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
