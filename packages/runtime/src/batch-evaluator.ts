import { BiaslabError } from '@biaslab/core';
import type { FloatDType, Graph, LossKind, ParamLayout, Tensor } from '@biaslab/core';
import {
  forwardOverReverseHvpGraph,
  ggnvpGraph,
  gradientGraph,
  hvpGraph,
  lowerForFloat64,
  pruneGraph,
} from '@biaslab/autodiff';
import { convertFloatType } from '@biaslab/onnx';
import type { GraphSession } from './graph-session';
import { LOSS_OUTPUT, fixBatch, withLoss } from './loss-head';
import { outputHessian } from './output-hessian';

/** The derived graphs an evaluator can run. */
export type GraphKind = 'forward' | 'loss' | 'grad' | 'hvp' | 'loss-grad-hvp' | 'ggnvp';

/** How Hessian-vector products are derived: Pearlmutter's reverse over reverse, or forward over reverse. */
export type HvpMode = 'reverse-over-reverse' | 'forward-over-reverse';

/** What every evaluator of one objective shares. */
export interface EvaluatorSpec {
  readonly model: { readonly graph: Graph; readonly layout: ParamLayout };
  readonly loss: LossKind;
  readonly dtype: FloatDType;
  /** Trained parameter names. */
  readonly wrt: readonly string[];
  readonly hvpMode: HvpMode;
  /** Compiles a graph (checking float64 kernels first); `what` names it in errors. */
  compile(graph: Graph, what: string): Promise<GraphSession>;
}

/** Checks that every parameter of the layout is an input of the model graph with the layout's shape. */
export function checkParameterInputs(graph: Graph, layout: ParamLayout): void {
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

/**
 * The sessions for one batch of `rows` rows whose loss is normalised by `normalizer` samples (the rows of
 * the whole batch it is a chunk of). Each derived graph is built and compiled on first use, once.
 */
export class BatchEvaluator {
  readonly rows: number;
  readonly forward: Graph;
  readonly lossGraph: Graph;
  private readonly sessions = new Map<GraphKind, Promise<GraphSession>>();
  private readonly dummies = new Map<GraphKind, Record<string, Tensor>>();

  constructor(
    private readonly spec: EvaluatorSpec,
    rows: number,
    private readonly normalizer: number,
  ) {
    this.rows = rows;
    const forward = convertFloatType(fixBatch(spec.model.graph, rows), spec.dtype);
    checkParameterInputs(forward, spec.model.layout);
    // float64: ops without a float64 kernel that have an exact rewrite (Conv, pooling, Softplus, …) are lowered
    this.forward = spec.dtype === 'float64' ? lowerForFloat64(forward) : forward;
    this.lossGraph = withLoss(this.forward, spec.loss, rows, spec.dtype, normalizer);
  }

  /** The model output's name in the forward graph. */
  get output(): string {
    return this.forward.outputs[0].name;
  }

  /** Runs the graph of `kind` (compiling it on first use) and returns the outputs asked for. */
  async run(
    kind: GraphKind,
    feeds: Record<string, Tensor>,
    outputs?: readonly string[],
  ): Promise<Record<string, Tensor>> {
    const session = await this.session(kind);
    const extra = this.dummies.get(kind);
    return session.run(extra ? { ...feeds, ...extra } : feeds, outputs);
  }

  /** The compiled session of `kind`. */
  session(kind: GraphKind): Promise<GraphSession> {
    let s = this.sessions.get(kind);
    if (!s) {
      const graph = this.build(kind);
      const dummies = dummyCotangents(graph);
      if (dummies) this.dummies.set(kind, dummies);
      s = this.spec.compile(
        graph,
        `the ${kind === 'forward' ? 'model' : `${kind} graph`} at ${this.rows} rows`,
      );
      this.sessions.set(kind, s);
    }
    return s;
  }

  private build(kind: GraphKind): Graph {
    const { wrt, hvpMode, loss } = this.spec;
    const options = { loss: LOSS_OUTPUT, wrt };
    switch (kind) {
      case 'forward':
        return this.forward;
      case 'loss':
        return this.lossGraph;
      case 'grad':
        return gradientGraph(this.lossGraph, options);
      case 'hvp':
      case 'loss-grad-hvp': {
        const graph =
          hvpMode === 'forward-over-reverse'
            ? forwardOverReverseHvpGraph(this.lossGraph, options)
            : hvpGraph(this.lossGraph, options);
        // onnxruntime runs every node of a graph whatever is fetched: drop the gradient's own work (the
        // first-layer weight gradient is a full-size matmul) when only the product is wanted
        return kind === 'hvp' ? keepOutputs(graph, (name) => name.startsWith('hvp/')) : graph;
      }
      case 'ggnvp':
        return ggnvpGraph(this.forward, {
          output: this.output,
          wrt,
          outputHessian: outputHessian(loss, this.normalizer),
        });
    }
  }
}

/** `graph` with only the outputs `keep` accepts, and only the nodes they need. */
function keepOutputs(graph: Graph, keep: (name: string) => boolean): Graph {
  return pruneGraph({ ...graph, outputs: graph.outputs.filter((o) => keep(o.name)) });
}

/**
 * Zeros for the dummy cotangent inputs (`cotangent/…`) a transposed pass may leave in a graph: the result
 * does not depend on their value, but onnxruntime wants every input fed.
 */
function dummyCotangents(graph: Graph): Record<string, Tensor> | undefined {
  const inputs = graph.inputs.filter((i) => i.name.startsWith('cotangent/'));
  if (inputs.length === 0) return undefined;
  const feeds: Record<string, Tensor> = {};
  for (const i of inputs) {
    const shape = i.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    feeds[i.name] = {
      dtype: i.dtype,
      shape,
      data: i.dtype === 'float64' ? new Float64Array(size) : new Float32Array(size),
    } as Tensor;
  }
  return feeds;
}
