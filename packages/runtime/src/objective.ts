import { BiaslabError } from '@biaslab/core';
import type { DataSplit, FloatDType, Graph, LossKind, Oracle, ParamLayout, Tensor } from '@biaslab/core';
import { gradientGraph, hvpGraph } from '@biaslab/autodiff';
import { convertFloatType } from '@biaslab/onnx';
import { GraphSession } from './graph-session';
import { DATA_INPUT, LOSS_OUTPUT, TARGET_INPUT, fixBatch, withLoss } from './loss-head';

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
}

/** The full-batch objective over one data split: an Oracle plus predictions, minibatches and cleanup. */
export interface Objective extends Oracle {
  readonly dtype: FloatDType;
  /** Number of samples in the split. */
  readonly n: number;
  readonly samples: number;
  /** Model outputs f(x) on the split, row-major [n, outputs]. */
  predict(theta: Float64Array): Promise<Float64Array>;
  /** The loss over the rows `indices` of the split (sessions compiled once per batch size). */
  minibatch(indices: readonly number[]): Oracle;
  /** Frees the compiled sessions. */
  dispose(): Promise<void>;
}

/**
 * Compiles the model + loss into onnxruntime sessions once (forward/loss, loss+gradient, and on demand the
 * HVP graph) with every parameter fed as a graph input, and returns the objective over `data`.
 * θ always travels as a Float64Array in layout order; in float32 runs it is rounded on the way in.
 */
export async function createObjective(options: ObjectiveOptions): Promise<Objective> {
  const { model, data, dtype } = options;
  const { layout } = model;
  const n = data.x.shape[0];
  const wrt = layout.slots.filter((s) => s.trainable !== false).map((s) => s.name);
  const sessions: Promise<GraphSession>[] = [];
  const compile = (graph: Graph): Promise<GraphSession> => {
    const session = GraphSession.create(graph, { threads: options.threads ?? 1 });
    sessions.push(session);
    return session;
  };
  const paramFeeds = (theta: Float64Array, prefix = '', names: readonly string[] = layout.names) => {
    layout.assertSized(theta);
    const feeds: Record<string, Tensor> = {};
    for (const name of names) {
      const s = layout.slot(name);
      const values = theta.subarray(s.offset, s.offset + s.size);
      feeds[prefix + name] = {
        dtype,
        shape: s.shape,
        data: dtype === 'float64' ? values.slice() : Float32Array.from(values),
      } as Tensor;
    }
    return feeds;
  };
  const flatten = (outs: Record<string, Tensor>, prefix: string): Float64Array => {
    const flat = layout.zeros();
    for (const name of wrt) flat.set(outs[prefix + name].data as Float64Array | Float32Array, layout.slot(name).offset);
    return flat;
  };

  /** Loss, gradient and HVP over `rows` samples fed by `dataFeeds`; sessions are compiled on first use. */
  const evaluator = (rows: number) => {
    const forward = convertFloatType(fixBatch(model.graph, rows), dtype);
    checkParameterInputs(forward, layout);
    const lossGraph = withLoss(forward, options.loss, rows, dtype);
    let lossSession: Promise<GraphSession> | undefined;
    let gradSession: Promise<GraphSession> | undefined;
    let hvpSession: Promise<GraphSession> | undefined;
    let forwardSession: Promise<GraphSession> | undefined;
    const scalar = (t: Tensor | undefined): number => Number((t!.data as Float64Array)[0]);
    return {
      forwardOutput: forward.outputs[0].name,
      async loss(feeds: Record<string, Tensor>, theta: Float64Array): Promise<number> {
        lossSession ??= compile(lossGraph);
        const outs = await (await lossSession).run({ ...feeds, ...paramFeeds(theta) }, [LOSS_OUTPUT]);
        return scalar(outs[LOSS_OUTPUT]);
      },
      async grad(feeds: Record<string, Tensor>, theta: Float64Array) {
        gradSession ??= compile(gradientGraph(lossGraph, { loss: LOSS_OUTPUT, wrt }));
        const outs = await (await gradSession).run({ ...feeds, ...paramFeeds(theta) });
        return { loss: scalar(outs[LOSS_OUTPUT]), grad: flatten(outs, 'grad/') };
      },
      async hvp(feeds: Record<string, Tensor>, theta: Float64Array, v: Float64Array): Promise<Float64Array> {
        if (options.hvp === false) {
          throw new BiaslabError(
            'RUNTIME',
            'This objective was created with `hvp: false`; create it with `hvp: true` to use Hessian-vector products',
          );
        }
        hvpSession ??= compile(hvpGraph(lossGraph, { loss: LOSS_OUTPUT, wrt }));
        const outs = await (await hvpSession).run(
          { ...feeds, ...paramFeeds(theta), ...paramFeeds(v, 'tangent/', wrt) },
          wrt.map((name) => `hvp/${name}`),
        );
        return flatten(outs, 'hvp/');
      },
      async predict(x: Tensor, theta: Float64Array): Promise<Float64Array> {
        forwardSession ??= compile(forward);
        const outs = await (await forwardSession).run({ [DATA_INPUT]: x, ...paramFeeds(theta) });
        return Float64Array.from(outs[forward.outputs[0].name].data as Float64Array | Float32Array);
      },
    };
  };

  const full = evaluator(n);
  const fullFeeds: Record<string, Tensor> = {
    [DATA_INPUT]: castTensor(data.x, dtype),
    [TARGET_INPUT]: castTensor(data.y, dtype),
  };
  // Compile the loss and gradient sessions now, so graph errors surface at creation, not mid-run.
  await Promise.all([full.loss(fullFeeds, layout.zeros()), full.grad(fullFeeds, layout.zeros())]);
  const byBatchSize = new Map<number, ReturnType<typeof evaluator>>();

  const oracleOver = (e: ReturnType<typeof evaluator>, feeds: Record<string, Tensor>): Oracle => ({
    size: layout.size,
    samples: feeds[DATA_INPUT].shape[0],
    loss: (theta) => e.loss(feeds, theta),
    grad: (theta) => e.grad(feeds, theta),
    hvp: (theta, v) => {
      layout.assertSized(v);
      return e.hvp(feeds, theta, v);
    },
  });

  return {
    ...oracleOver(full, fullFeeds),
    dtype,
    n,
    samples: n,
    predict: (theta) => full.predict(fullFeeds[DATA_INPUT], theta),
    minibatch(indices) {
      if (indices.length === 0 || indices.some((i) => !Number.isInteger(i) || i < 0 || i >= n)) {
        throw new BiaslabError(
          'SHAPE',
          `Minibatch indices must be integers in [0, ${n}) and at least one; received ${indices.length} indices`,
        );
      }
      let e = byBatchSize.get(indices.length);
      if (!e) byBatchSize.set(indices.length, (e = evaluator(indices.length)));
      return oracleOver(e, {
        [DATA_INPUT]: gatherRows(fullFeeds[DATA_INPUT], indices),
        [TARGET_INPUT]: gatherRows(fullFeeds[TARGET_INPUT], indices),
      });
    },
    async dispose() {
      for (const s of await Promise.all(sessions)) await s.release();
    },
  };
}

function checkParameterInputs(graph: Graph, layout: ParamLayout): void {
  for (const s of layout.slots) {
    const input = graph.inputs.find((i) => i.name === s.name);
    if (!input) {
      throw new BiaslabError(
        'SHAPE',
        `Parameter \`${s.name}\` is not an input of model graph \`${graph.name}\`; inputs: ${graph.inputs.map((i) => i.name).join(', ')}`,
      );
    }
    if (input.shape.length !== s.shape.length || input.shape.some((d, i) => d !== s.shape[i])) {
      throw new BiaslabError(
        'SHAPE',
        `Parameter \`${s.name}\` has shape [${s.shape.join(', ')}] in the layout but [${input.shape.join(', ')}] in the graph`,
      );
    }
  }
}

function castTensor(t: Tensor, dtype: FloatDType): Tensor {
  if (t.dtype === dtype) return t;
  const data = dtype === 'float64' ? Float64Array.from(t.data as Float32Array) : Float32Array.from(t.data as Float64Array);
  return { dtype, shape: t.shape, data } as Tensor;
}

/** Rows `indices` of a row-major tensor, in the order given. */
function gatherRows(t: Tensor, indices: readonly number[]): Tensor {
  const rowSize = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const src = t.data as Float64Array | Float32Array;
  const out = new (src.constructor as Float64ArrayConstructor)(indices.length * rowSize);
  indices.forEach((row, i) => out.set(src.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize));
  return { dtype: t.dtype, shape: [indices.length, ...t.shape.slice(1)], data: out } as Tensor;
}
