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

/** The full-batch objective over one data split: an Oracle plus predictions and cleanup. */
export interface Objective extends Oracle {
  readonly dtype: FloatDType;
  /** Number of samples in the split. */
  readonly n: number;
  /** Model outputs f(x) on the split, row-major [n, outputs]. */
  predict(theta: Float64Array): Promise<Float64Array>;
  /** Frees the compiled sessions. */
  dispose(): Promise<void>;
}

/**
 * Compiles the model + loss into onnxruntime sessions once (forward/loss, loss+gradient, and on demand the
 * HVP graph) with every parameter fed as a graph input, and returns the objective over `data`.
 * θ always travels as a Float64Array in layout order; in float32 runs it is rounded on the way in.
 */
export async function createObjective(options: ObjectiveOptions): Promise<Objective> {
  const { model, loss, data, dtype } = options;
  const { layout } = model;
  const n = data.x.shape[0];
  const forward = convertFloatType(fixBatch(model.graph, n), dtype);
  checkParameterInputs(forward, layout);
  const lossGraph = withLoss(forward, loss, n, dtype);
  const wrt = layout.slots.filter((s) => s.trainable !== false).map((s) => s.name);
  const sessionOptions = { threads: options.threads ?? 1 };

  const [forwardSession, lossSession, gradSession] = await Promise.all([
    GraphSession.create(forward, sessionOptions),
    GraphSession.create(lossGraph, sessionOptions),
    GraphSession.create(gradientGraph(lossGraph, { loss: LOSS_OUTPUT, wrt }), sessionOptions),
  ]);
  let hvpSession: Promise<GraphSession> | undefined;
  const sessions: Promise<GraphSession>[] = [forwardSession, lossSession, gradSession].map((s) => Promise.resolve(s));

  const dataFeeds: Record<string, Tensor> = {
    [DATA_INPUT]: castTensor(data.x, dtype),
    [TARGET_INPUT]: castTensor(data.y, dtype),
  };
  const paramFeeds = (theta: Float64Array, prefix = ''): Record<string, Tensor> => {
    layout.assertSized(theta);
    const feeds: Record<string, Tensor> = {};
    for (const s of layout.slots) {
      const values = theta.subarray(s.offset, s.offset + s.size);
      feeds[prefix + s.name] = {
        dtype,
        shape: s.shape,
        data: dtype === 'float64' ? values.slice() : Float32Array.from(values),
      } as Tensor;
    }
    return feeds;
  };
  const scalar = (t: Tensor | undefined): number => Number((t!.data as Float64Array)[0]);
  const flatten = (outs: Record<string, Tensor>, prefix: string): Float64Array => {
    const flat = layout.zeros();
    for (const name of wrt) {
      const s = layout.slot(name);
      const t = outs[prefix + name];
      flat.set(t.data as Float64Array | Float32Array, s.offset);
    }
    return flat;
  };

  return {
    size: layout.size,
    dtype,
    n,
    async loss(theta) {
      const outs = await lossSession.run({ ...dataFeeds, ...paramFeeds(theta) }, [LOSS_OUTPUT]);
      return scalar(outs[LOSS_OUTPUT]);
    },
    async grad(theta) {
      const outs = await gradSession.run({ ...dataFeeds, ...paramFeeds(theta) });
      return { loss: scalar(outs[LOSS_OUTPUT]), grad: flatten(outs, 'grad/') };
    },
    async hvp(theta, v) {
      if (options.hvp === false) {
        throw new BiaslabError('RUNTIME', 'This objective was created with `hvp: false`; create it with `hvp: true` to use Hessian-vector products');
      }
      layout.assertSized(v);
      if (!hvpSession) {
        hvpSession = GraphSession.create(hvpGraph(lossGraph, { loss: LOSS_OUTPUT, wrt }), sessionOptions);
        sessions.push(hvpSession);
      }
      const session = await hvpSession;
      const hvpOutputs = wrt.map((name) => `hvp/${name}`);
      const tangents = paramFeeds(v, 'tangent/');
      for (const s of layout.slots) if (!wrt.includes(s.name)) delete tangents[`tangent/${s.name}`];
      const outs = await session.run({ ...dataFeeds, ...paramFeeds(theta), ...tangents }, hvpOutputs);
      return flatten(outs, 'hvp/');
    },
    async predict(theta) {
      const outs = await forwardSession.run({ [DATA_INPUT]: dataFeeds[DATA_INPUT], ...paramFeeds(theta) });
      const out = outs[forward.outputs[0].name];
      return Float64Array.from(out.data as Float64Array | Float32Array);
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
