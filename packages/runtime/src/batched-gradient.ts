import { BiaslabError, castFloatTensor } from '@biaslab/core';
import type { DataSplit, FloatDType, Graph, LossKind, ParamLayout, Tensor } from '@biaslab/core';
import { gradientGraph, lowerForFloat64 } from '@biaslab/autodiff';
import { GraphBuilder, attr, convertFloatType } from '@biaslab/onnx';
import { assertFloat64Runnable } from './float64-check';
import { GraphSession } from './graph-session';
import { DATA_INPUT, LOSS_OUTPUT, TARGET_INPUT, fixBatch } from './loss-head';

/** Name of the batched graph's per-run loss output. */
const LOSSES_OUTPUT = 'losses';

/**
 * Fewest rows a batched graph is compiled for. onnxruntime's float32 Gemm takes another path for a single
 * row, so a graph of one row would round a run differently from the same run among others.
 */
export const MIN_BATCHED_ROWS = 2;

/** What a batched gradient is built from: a model that offers `batchedGraph`, the loss, the training split. */
export interface BatchedGradientOptions {
  readonly model: { readonly layout: ParamLayout; batchedGraph?(runs: number): Graph };
  readonly loss: LossKind;
  readonly data: DataSplit;
  readonly dtype: FloatDType;
  /** Parameter sets per call the graph must take (it is compiled for at least `MIN_BATCHED_ROWS` = 2). */
  readonly runs: number;
  /** onnxruntime intra-op threads (default 1). */
  readonly threads?: number;
}

/** L(θ) and ∇L(θ) of one parameter set, as `Oracle.grad` returns them. */
export interface LossAndGradient {
  readonly loss: number;
  readonly grad: Float64Array;
}

/** The full-batch loss and gradient of up to `runs` parameter sets in one onnxruntime call. */
export interface BatchedGradient {
  /** Rows of the compiled graph: at most this many parameter sets per call. */
  readonly runs: number;
  /**
   * L(θ_k) and ∇L(θ_k) for every θ_k of `thetas` (flat vectors in layout order, at most `runs` of them;
   * unused rows of the graph are filled with θ_1 and ignored). Inputs are not modified; overlapping calls
   * run one after the other.
   */
  grad(thetas: readonly Float64Array[]): Promise<LossAndGradient[]>;
  dispose(): Promise<void>;
}

/**
 * Compiles one graph that, for `runs` stacked parameter sets θ_1…θ_K, computes every run's training loss
 * L(θ_k) (the normalisation of `withLoss`) and gradient ∇L(θ_k). The gradient is the reverse-mode gradient of
 * Σ_k L(θ_k): its block k is ∇L(θ_k), because row k of the batched model depends on θ_k alone. All runs share
 * one read of the data per call (for the diagonal network, one Gemm B·xᵀ instead of K matrix-vector
 * products). Each run's losses are reduced from a tensor of its own (a `Split` of the predictions), so a
 * run's numbers depend neither on its row nor on the number of rows, bit for bit (tested); what a run then
 * does with its gradient is its optimizer's business. Needs `model.batchedGraph`.
 */
export async function createBatchedGradient(options: BatchedGradientOptions): Promise<BatchedGradient> {
  const { model, data, dtype, loss } = options;
  const runs = Math.max(MIN_BATCHED_ROWS, options.runs);
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
  const wrt = layout.slots.filter((s) => s.trainable !== false).map((s) => s.name);
  const gradient = gradientGraph(withBatchedLoss(forward, loss, runs, n, dtype), { loss: LOSS_OUTPUT, wrt });
  const withLosses = GraphBuilder.from(gradient, gradient.name);
  for (const o of gradient.outputs) withLosses.addOutput(o.name, o.dtype, o.shape);
  withLosses.addOutput(LOSSES_OUTPUT, dtype, [runs]);
  const graph = withLosses.build();
  if (dtype === 'float64') assertFloat64Runnable(graph, `the batched gradient graph of \`${forward.name}\``);
  const session = await GraphSession.create(graph, {
    threads: options.threads ?? 1,
    optimization: dtype === 'float64' ? 'basic' : 'all',
  });
  const feeds: Record<string, Tensor> = {
    [DATA_INPUT]: castFloatTensor(data.x, dtype),
    [TARGET_INPUT]: castFloatTensor(data.y, dtype),
  };
  // One stacked [runs, ...shape] buffer per parameter, refilled on every call.
  const stacked = layout.slots.map((s) => {
    const values = dtype === 'float64' ? new Float64Array(runs * s.size) : new Float32Array(runs * s.size);
    feeds[s.name] = { dtype, shape: [runs, ...s.shape], data: values } as Tensor;
    return values;
  });
  const outputs = [LOSSES_OUTPUT, ...wrt.map((name) => `grad/${name}`)];

  const evaluate = async (thetas: readonly Float64Array[]): Promise<LossAndGradient[]> => {
    if (thetas.length < 1 || thetas.length > runs) {
      throw new BiaslabError(
        'SHAPE',
        `A batched gradient compiled for ${runs} runs takes 1 to ${runs} parameter sets; received ${thetas.length}`,
      );
    }
    for (const theta of thetas) layout.assertSized(theta);
    layout.slots.forEach((s, j) => {
      for (let r = 0; r < runs; r++) {
        const theta = thetas[r] ?? thetas[0];
        stacked[j].set(theta.subarray(s.offset, s.offset + s.size), r * s.size);
      }
    });
    const out = await session.run(feeds, outputs);
    const losses = out[LOSSES_OUTPUT].data as Float64Array | Float32Array;
    return thetas.map((_, r) => {
      const grad = layout.zeros();
      for (const name of wrt) {
        const s = layout.slot(name);
        const g = out[`grad/${name}`].data as Float64Array | Float32Array;
        grad.set(g.subarray(r * s.size, (r + 1) * s.size), s.offset);
      }
      return { loss: Number(losses[r]), grad };
    });
  };
  // The stacked feed buffers are shared: a call waits for the previous one to settle.
  let previous: Promise<unknown> = Promise.resolve();
  return {
    runs,
    grad(thetas) {
      const result = previous.then(() => evaluate(thetas));
      previous = result.catch(() => undefined);
      return result;
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
  const scale = g.scalar(loss === 'mse' ? 0.5 / n : -1 / n, dtype, 'normalisation');
  const axis = g.int64s([0], 'run_axis');
  // One tensor per run, so each run's reduction reads a buffer of its own whatever its row in the batch.
  const predictions = g.opMulti('Split', [prediction.name], runs, { axis: attr.int(0) }, 'prediction');
  const losses = predictions.map((f, i) => {
    let sum: string;
    if (loss === 'mse') {
      const residual = g.op('Sub', [f, y], {}, `residual_${i}`);
      const squared = g.op('Mul', [residual, residual], {}, `squared_${i}`);
      sum = g.op('ReduceSum', [squared], { keepdims: attr.int(0) }, `sum_sq_${i}`);
    } else {
      const logp = g.op('LogSoftmax', [f], { axis: attr.int(2) }, `log_probs_${i}`);
      const picked = g.op('Mul', [logp, y], {}, `picked_${i}`);
      sum = g.op('ReduceSum', [picked], { keepdims: attr.int(0) }, `sum_logp_${i}`);
    }
    const value = g.op('Mul', [sum, scale], {}, `loss_${i}`);
    return g.op('Unsqueeze', [value, axis], {}, `loss_row_${i}`);
  });
  const perRun = g.op('Concat', losses, { axis: attr.int(0) }, LOSSES_OUTPUT);
  g.op('ReduceSum', [perRun], { keepdims: attr.int(0) }, LOSS_OUTPUT);
  g.addOutput(LOSS_OUTPUT, dtype, []);
  return g.build();
}
