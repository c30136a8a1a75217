import { BiaslabError, castFloatTensor } from '@biaslab/core';
import type { DataSplit, FloatDType, Graph, LossKind, Oracle, ParamLayout, Tensor } from '@biaslab/core';
import { convertFloatType } from '@biaslab/onnx';
import type { EvaluatorSpec, HvpMode } from './batch-evaluator';
import { bytesPerRow, chunkRows } from './chunk-plan';
import { ChunkedEvaluation, chunkedOracle } from './chunked-oracle';
import { assertFloat64Runnable } from './float64-check';
import { fuseGemmAdd } from './fuse-gemm-add';
import { GraphSession } from './graph-session';
import type { SessionOptions } from './graph-session';
import { fixBatch, withLoss } from './loss-head';

/** What an objective is built from. A ModelInstance from a model plugin satisfies `model`. */
export interface ObjectiveOptions {
  readonly model: { readonly graph: Graph; readonly layout: ParamLayout };
  readonly loss: LossKind;
  readonly data: DataSplit;
  readonly dtype: FloatDType;
  /** Build the Hessian-vector-product graph (default true; compiled lazily on the first `hvp`). */
  readonly hvp?: boolean;
  /** onnxruntime intra-op threads per session (default 1). */
  readonly threads?: number;
  /** At most this many rows per onnxruntime run; larger batches are evaluated in chunks and summed. */
  readonly maxChunkRows?: number;
  /**
   * Memory bound for one run's per-row intermediate values, in bytes (estimated from the model's shapes,
   * see `bytesPerRow`); sets the chunk size together with `maxChunkRows`.
   */
  readonly memoryBytes?: number;
  /** How `hvp` is derived (default `reverse-over-reverse`; `forward-over-reverse` for cross-checks). */
  readonly hvpMode?: HvpMode;
  /**
   * onnxruntime graph optimisation level. Default `all` in float32 and `basic` in float64: the extended
   * fusions fold a scalar Mul next to a MatMul into a float32 `alpha` attribute, which rounds float64 graphs.
   */
  readonly optimization?: SessionOptions['optimization'];
}

/** An Oracle over a fixed set of rows, with the fused and Gauss–Newton products. */
export interface BatchOracle extends Oracle {
  readonly samples: number;
  /** Generalised Gauss–Newton product G(θ)·v = Jᵀ H_ℓ J v (H_ℓ: the loss's Hessian in output space). */
  ggnvp(theta: Float64Array, v: Float64Array): Promise<Float64Array>;
  /** Loss, gradient and ∇²L·v from one run of the HVP graph (cheaper than `grad` then `hvp`). */
  hvpWithGrad(
    theta: Float64Array,
    v: Float64Array,
  ): Promise<{ loss: number; grad: Float64Array; hv: Float64Array }>;
}

/** The full-batch objective over one data split: an Oracle plus predictions, minibatches and cleanup. */
export interface Objective extends BatchOracle {
  readonly dtype: FloatDType;
  /** Number of samples in the split. */
  readonly n: number;
  /** Rows per onnxruntime run (n unless chunked). */
  readonly chunkRows: number;
  /** Model outputs f(x) on the split, row-major [n, outputs]. */
  predict(theta: Float64Array): Promise<Float64Array>;
  /** The loss over the rows `indices` of the split (sessions compiled once per batch size). */
  minibatch(indices: readonly number[]): BatchOracle;
  /** Frees the compiled sessions. */
  dispose(): Promise<void>;
}

/**
 * Compiles the model + loss into onnxruntime sessions once (loss and loss+gradient now; HVP, GGN and the
 * forward pass on first use) with every parameter fed as a graph input, and returns the objective over
 * `data`. Batches larger than the chunk size (from `maxChunkRows` / `memoryBytes`) run chunk by chunk, each
 * chunk's loss normalised by the whole batch's n, so the sums equal the whole-batch values; at most two
 * sizes are compiled (the chunk and the remainder). θ always travels as a Float64Array in layout order; in
 * float32 runs it is rounded on the way in. float64 objectives whose graphs contain an op without a
 * float64 kernel fail here with `DTYPE`, naming the op and node.
 */
export async function createObjective(options: ObjectiveOptions): Promise<Objective> {
  const { model, data, dtype } = options;
  const { layout } = model;
  const n = data.x.shape[0];
  const wrt = layout.slots.filter((s) => s.trainable !== false).map((s) => s.name);
  const sessions: Promise<GraphSession>[] = [];
  const spec: EvaluatorSpec = {
    model,
    loss: options.loss,
    dtype,
    wrt,
    hvpMode: options.hvpMode ?? 'reverse-over-reverse',
    compile(graph, what) {
      if (dtype === 'float64') assertFloat64Runnable(graph, what);
      const session = GraphSession.create(fuseGemmAdd(graph), {
        threads: options.threads ?? 1,
        optimization: options.optimization ?? (dtype === 'float64' ? 'basic' : 'all'),
      });
      sessions.push(session);
      return session;
    },
  };
  const rowsPerChunk = chunkRows(n, options, () =>
    bytesPerRow(
      (rows) => withLoss(convertFloatType(fixBatch(model.graph, rows), dtype), options.loss, rows, dtype),
      dtype,
    ),
  );
  const engine = new ChunkedEvaluation(spec, rowsPerChunk);
  const settings = { loss: options.loss, hvp: options.hvp };

  const x = castFloatTensor(data.x, dtype);
  const y = castFloatTensor(data.y, dtype);
  const full = engine.chunksOf(x, y);
  // Check float64 kernels on the model first (the clearest place to name a blocking op), then compile the
  // loss and gradient sessions now, so graph errors surface at creation, not mid-run.
  if (dtype === 'float64')
    assertFloat64Runnable(full[0].evaluator.lossGraph, `model graph \`${model.graph.name}\``);
  const fullOracle = chunkedOracle(engine, x, y, settings, full);
  await Promise.all([fullOracle.loss(layout.zeros()), fullOracle.grad(layout.zeros())]);

  return {
    ...fullOracle,
    dtype,
    n,
    chunkRows: rowsPerChunk,
    async predict(theta) {
      const k = full[0].evaluator.forward.outputs[0].shape[1] as number;
      const out = new Float64Array(n * k);
      let row = 0;
      const output = full[0].evaluator.output;
      await engine.run(full, 'forward', theta, undefined, [output], (outs) => {
        const f = outs[output].data as Float64Array | Float32Array;
        out.set(f, row * k);
        row += f.length / k;
      });
      return out;
    },
    minibatch(indices) {
      if (indices.length === 0 || indices.some((i) => !Number.isInteger(i) || i < 0 || i >= n)) {
        throw new BiaslabError(
          'SHAPE',
          `Minibatch indices must be integers in [0, ${n}) and at least one; received ${indices.length} indices`,
        );
      }
      return chunkedOracle(engine, gatherRows(x, indices), gatherRows(y, indices), settings);
    },
    async dispose() {
      for (const s of await Promise.allSettled(sessions))
        if (s.status === 'fulfilled') await s.value.release();
    },
  };
}

/** Rows `indices` of a row-major tensor, in the order given. */
function gatherRows(t: Tensor, indices: readonly number[]): Tensor {
  const rowSize = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const src = t.data as Float64Array | Float32Array;
  const out = new (src.constructor as Float64ArrayConstructor)(indices.length * rowSize);
  indices.forEach((row, i) => out.set(src.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize));
  return { dtype: t.dtype, shape: [indices.length, ...t.shape.slice(1)], data: out } as Tensor;
}
