import { BiaslabError, castFloatTensor } from '@biaslab/core';
import type { DataSplit, FloatDType, Graph, LossKind, Oracle, ParamLayout, Tensor } from '@biaslab/core';
import { convertFloatType } from '@biaslab/onnx';
import { BatchEvaluator } from './batch-evaluator';
import type { EvaluatorSpec, GraphKind, HvpMode } from './batch-evaluator';
import { bytesPerRow, chunkRanges, chunkRows } from './chunk-plan';
import { assertFloat64Runnable } from './float64-check';
import { fuseGemmAdd } from './fuse-gemm-add';
import { GraphSession } from './graph-session';
import type { SessionOptions } from './graph-session';
import { DATA_INPUT, LOSS_OUTPUT, TARGET_INPUT, fixBatch, withLoss } from './loss-head';
import { ParamFeeds } from './param-feeds';

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

interface Chunk {
  readonly evaluator: BatchEvaluator;
  readonly data: Record<string, Tensor>;
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
  const evaluators = new Map<string, BatchEvaluator>();
  const evaluatorFor = (rows: number, normalizer: number) => {
    const key = `${rows}/${normalizer}`;
    let e = evaluators.get(key);
    if (!e) evaluators.set(key, (e = new BatchEvaluator(spec, rows, normalizer)));
    return e;
  };
  const thetaFeeds = new ParamFeeds(layout, dtype, layout.names);
  const tangentFeeds = new ParamFeeds(layout, dtype, wrt, 'tangent/');

  /** Chunks of the rows of x and y (views, no copies), each with its evaluator normalised by all rows. */
  const chunksOf = (x: Tensor, y: Tensor): Chunk[] => {
    const rows = x.shape[0];
    return chunkRanges(rows, rowsPerChunk).map(([start, count]) => ({
      evaluator: evaluatorFor(count, rows),
      data: { [DATA_INPUT]: rowSlice(x, start, count), [TARGET_INPUT]: rowSlice(y, start, count) },
    }));
  };

  /** Runs `kind` on every chunk with θ (and v) leased into feed buffers, handing each result to `take`. */
  const overChunks = async (
    chunks: readonly Chunk[],
    kind: GraphKind,
    theta: Float64Array,
    v: Float64Array | undefined,
    outputs: readonly string[] | undefined,
    take: (outs: Record<string, Tensor>, first: boolean) => void,
  ): Promise<void> => {
    const p = thetaFeeds.lease(theta);
    const t = v ? tangentFeeds.lease(v) : undefined;
    try {
      for (let i = 0; i < chunks.length; i++) {
        const c = chunks[i];
        take(await c.evaluator.run(kind, { ...c.data, ...p.feeds, ...t?.feeds }, outputs), i === 0);
      }
    } finally {
      p.release();
      t?.release();
    }
  };
  const scalar = (t: Tensor | undefined): number => Number((t!.data as Float64Array)[0]);
  /** acc (+)= the per-parameter outputs `prefix<p>`, set on the first chunk and added after. */
  const accumulate = (acc: Float64Array, outs: Record<string, Tensor>, prefix: string, first: boolean) => {
    for (const name of wrt) {
      const src = outs[prefix + name].data as Float64Array | Float32Array;
      const offset = layout.slot(name).offset;
      if (first) acc.set(src, offset);
      else for (let i = 0; i < src.length; i++) acc[offset + i] += src[i];
    }
  };
  const requireHvp = () => {
    if (options.hvp === false) {
      throw new BiaslabError(
        'RUNTIME',
        'This objective was created with `hvp: false`; create it with `hvp: true` to use Hessian-vector products',
      );
    }
  };
  const productOutputs = { hvp: wrt.map((p) => `hvp/${p}`), ggnvp: wrt.map((p) => `ggnvp/${p}`) };
  /** A matrix-vector product graph (`hvp/<p>` or `ggnvp/<p>` outputs) summed over the chunks. */
  const product = async (
    chunks: readonly Chunk[],
    kind: 'hvp' | 'ggnvp',
    theta: Float64Array,
    v: Float64Array,
  ): Promise<Float64Array> => {
    layout.assertSized(v);
    const out = layout.zeros();
    await overChunks(chunks, kind, theta, v, productOutputs[kind], (outs, first) =>
      accumulate(out, outs, `${kind}/`, first),
    );
    return out;
  };

  const oracleOver = (x: Tensor, y: Tensor, chunks: readonly Chunk[] = chunksOf(x, y)): BatchOracle => ({
    size: layout.size,
    samples: x.shape[0],
    async loss(theta) {
      let loss = 0;
      await overChunks(
        chunks,
        'loss',
        theta,
        undefined,
        [LOSS_OUTPUT],
        (outs) => (loss += scalar(outs[LOSS_OUTPUT])),
      );
      return loss;
    },
    async grad(theta) {
      let loss = 0;
      const grad = layout.zeros();
      await overChunks(chunks, 'grad', theta, undefined, undefined, (outs, first) => {
        loss += scalar(outs[LOSS_OUTPUT]);
        accumulate(grad, outs, 'grad/', first);
      });
      return { loss, grad };
    },
    async hvp(theta, v) {
      requireHvp();
      return product(chunks, 'hvp', theta, v);
    },
    async hvpWithGrad(theta, v) {
      requireHvp();
      layout.assertSized(v);
      let loss = 0;
      const grad = layout.zeros();
      const hv = layout.zeros();
      await overChunks(chunks, 'loss-grad-hvp', theta, v, undefined, (outs, first) => {
        loss += scalar(outs[LOSS_OUTPUT]);
        accumulate(grad, outs, 'grad/', first);
        accumulate(hv, outs, 'hvp/', first);
      });
      return { loss, grad, hv };
    },
    ggnvp: (theta, v) => product(chunks, 'ggnvp', theta, v),
    targets: {
      loss: options.loss,
      values: Float64Array.from(y.data as Float64Array | Float32Array),
      async grad(theta, targets) {
        if (targets.length !== y.data.length) {
          throw new BiaslabError(
            'SHAPE',
            `Targets have ${targets.length} entries; the objective's have ${y.data.length} (rows × outputs)`,
          );
        }
        // Rounded to the objective's dtype, as its own targets are.
        const data = y.dtype === 'float32' ? Float32Array.from(targets) : Float64Array.from(targets);
        return oracleOver(x, { ...y, data } as Tensor).grad(theta);
      },
    },
  });

  const x = castFloatTensor(data.x, dtype);
  const y = castFloatTensor(data.y, dtype);
  const full = chunksOf(x, y);
  // Check float64 kernels on the model first (the clearest place to name a blocking op), then compile the
  // loss and gradient sessions now, so graph errors surface at creation, not mid-run.
  if (dtype === 'float64')
    assertFloat64Runnable(full[0].evaluator.lossGraph, `model graph \`${model.graph.name}\``);
  const fullOracle = oracleOver(x, y, full);
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
      await overChunks(full, 'forward', theta, undefined, [output], (outs) => {
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
      return oracleOver(gatherRows(x, indices), gatherRows(y, indices));
    },
    async dispose() {
      for (const s of await Promise.allSettled(sessions))
        if (s.status === 'fulfilled') await s.value.release();
    },
  };
}

/** Rows [start, start + count) of a row-major tensor, as a view sharing its buffer. */
function rowSlice(t: Tensor, start: number, count: number): Tensor {
  if (start === 0 && count === t.shape[0]) return t;
  const rowSize = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const data = (t.data as Float64Array | Float32Array).subarray(start * rowSize, (start + count) * rowSize);
  return { dtype: t.dtype, shape: [count, ...t.shape.slice(1)], data } as Tensor;
}

/** Rows `indices` of a row-major tensor, in the order given. */
function gatherRows(t: Tensor, indices: readonly number[]): Tensor {
  const rowSize = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const src = t.data as Float64Array | Float32Array;
  const out = new (src.constructor as Float64ArrayConstructor)(indices.length * rowSize);
  indices.forEach((row, i) => out.set(src.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize));
  return { dtype: t.dtype, shape: [indices.length, ...t.shape.slice(1)], data: out } as Tensor;
}
