import * as ort from 'onnxruntime-node';
import { BiaslabError } from '@biaslab/core';
import type { DType, Graph, Tensor } from '@biaslab/core';
import { encodeModel } from '@biaslab/onnx';

/** Session settings. */
export interface SessionOptions {
  /** onnxruntime intra-op threads (default 1: sweeps parallelise across runs, not inside one). */
  threads?: number;
  /** onnxruntime graph optimisation level (default `all`: constant folding, fusions, layout changes). */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
}

/**
 * One graph compiled into one onnxruntime session, run many times. Inputs are fed by name; outputs come
 * back as biaslab tensors. This is the only place biaslab touches onnxruntime-node.
 */
export class GraphSession {
  readonly graph: Graph;
  private readonly session: ort.InferenceSession;
  private readonly inputNames: ReadonlySet<string>;

  private constructor(graph: Graph, session: ort.InferenceSession) {
    this.graph = graph;
    this.session = session;
    this.inputNames = new Set(graph.inputs.map((i) => i.name));
  }

  /** Compiles `graph`. An op onnxruntime cannot run is reported with the graph's name and the engine's words. */
  static async create(graph: Graph, options: SessionOptions = {}): Promise<GraphSession> {
    const bytes = encodeModel(graph);
    try {
      const session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: options.threads ?? 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: options.optimization ?? 'all',
        logSeverityLevel: 3,
      });
      return new GraphSession(graph, session);
    } catch (error) {
      throw new BiaslabError(
        'RUNTIME',
        `onnxruntime could not compile graph \`${graph.name}\` (opset ${graph.opset}): ${firstLine(error)}`,
        { graph: graph.name },
        { cause: error },
      );
    }
  }

  /**
   * Runs the graph; returns the requested outputs (default: all graph outputs). Feeds the graph has no input
   * for are skipped, so one feed set serves the loss, gradient and derived graphs alike. onnxruntime-node
   * reads the feed buffers once, when the run starts (on a later turn of the event loop): callers must not
   * change them until the returned promise settles.
   */
  async run(
    feeds: Readonly<Record<string, Tensor>>,
    outputs?: readonly string[],
  ): Promise<Record<string, Tensor>> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) if (this.inputNames.has(name)) ortFeeds[name] = toOrt(t);
    let result: ort.InferenceSession.ReturnType;
    try {
      result = outputs ? await this.session.run(ortFeeds, [...outputs]) : await this.session.run(ortFeeds);
    } catch (error) {
      throw new BiaslabError(
        'RUNTIME',
        `Running graph \`${this.graph.name}\` failed: ${firstLine(error)}`,
        {},
        { cause: error },
      );
    }
    const out: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(result)) out[name] = fromOrt(t);
    return out;
  }

  /** Frees the native session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}

const ORT_TYPE: Record<DType, ort.Tensor.Type> = {
  float32: 'float32',
  float64: 'float64',
  int64: 'int64',
  int32: 'int32',
  bool: 'bool',
};

function toOrt(t: Tensor): ort.Tensor {
  return new ort.Tensor(ORT_TYPE[t.dtype], t.data as never, [...t.shape]);
}

function fromOrt(t: ort.Tensor): Tensor {
  const dtype = (Object.keys(ORT_TYPE) as DType[]).find((d) => ORT_TYPE[d] === t.type);
  if (!dtype)
    throw new BiaslabError(
      'DTYPE',
      `onnxruntime returned a tensor of type \`${t.type}\`, which biaslab does not read`,
    );
  return { dtype, shape: [...t.dims], data: t.data as Tensor['data'] };
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}
