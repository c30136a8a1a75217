import { BiaslabError } from '@biaslab/core';
import type { Graph } from '@biaslab/core';
import { GraphBuilder, inferTypes } from '@biaslab/onnx';
import type { ValueType } from '@biaslab/onnx';
import { Emitter } from './emitter';
import { pruneGraph } from './prune';
import { exposeAs, inputLike, reversePass } from './reverse-pass';
import { OPS } from './op-registry';

/** What to differentiate: a scalar float loss value with respect to graph inputs. */
export interface DiffOptions {
  /** Name of a scalar (shape []) float value of the graph. */
  loss: string;
  /** Graph input names to differentiate with respect to. */
  wrt: readonly string[];
}

/**
 * Reverse-mode gradient as a graph transform. Returns a graph with the same inputs and the outputs
 * `[loss, grad/<p> for each p in wrt]`; parameters the loss does not depend on get a zero gradient.
 * Raises `NO_RULE` (before building anything) when a node on a loss path has no VJP rule.
 */
export function gradientGraph(graph: Graph, options: DiffOptions): Graph {
  const types = inferTypes(graph, OPS);
  const lossType = checkOptions(graph, options, types);
  const b = GraphBuilder.from(graph);
  const e = new Emitter(b, types, graph.nodes);
  const grads = reversePass(
    graph,
    e,
    [options.loss],
    options.wrt,
    () => [[options.loss, e.scalarLike(1, options.loss)]],
    'vjp',
  );
  b.addOutput(options.loss, lossType.dtype, lossType.shape);
  for (const p of options.wrt) exposeAs(e, grads.get(p)!, `grad/${p}`);
  return pruneGraph(b.build());
}

/**
 * Hessian-vector products, reverse over reverse (Pearlmutter 1994): with added inputs `tangent/<p>` (shaped
 * like p), the gradient pass is followed by a second reverse pass of s = Σ_p ⟨∇_p L, tangent/p⟩ — seeded
 * directly with ∂s/∂(∇_p L) = tangent/p — whose gradient is ∇²L·tangent (exact; the tangents do not depend
 * on the parameters). Same inputs plus the tangents; outputs `[loss, grad/<p>…, hvp/<p>…]`.
 */
export function hvpGraph(graph: Graph, options: DiffOptions): Graph {
  const types = inferTypes(graph, OPS);
  const lossType = checkOptions(graph, options, types);
  const b1 = GraphBuilder.from(graph);
  const e1 = new Emitter(b1, types, graph.nodes);
  const grads = reversePass(
    graph,
    e1,
    [options.loss],
    options.wrt,
    () => [[options.loss, e1.scalarLike(1, options.loss)]],
    'vjp',
  );
  for (const p of options.wrt)
    b1.addOutput(grads.get(p)!, e1.type(grads.get(p)!).dtype, e1.type(grads.get(p)!).shape);
  const first = b1.build();

  // Hv = ∇_θ ⟨∇_θ L, t⟩: a second reverse pass over forward and backward nodes, seeded with ∂⟨g, t⟩/∂g = t
  const b2 = GraphBuilder.from(first);
  const e2 = new Emitter(b2, types, first.nodes);
  const tangents = options.wrt.map((p) => [grads.get(p)!, inputLike(e2, `tangent/${p}`, p)] as const);
  const targets = tangents.map(([g]) => g);
  const hv = reversePass(first, e2, targets, options.wrt, () => tangents, 'vjp2');
  b2.addOutput(options.loss, lossType.dtype, lossType.shape);
  for (const p of options.wrt) exposeAs(e2, grads.get(p)!, `grad/${p}`);
  for (const p of options.wrt) exposeAs(e2, hv.get(p)!, `hvp/${p}`);
  return pruneGraph(b2.build());
}

function checkOptions(graph: Graph, options: DiffOptions, types: Map<string, ValueType>): ValueType {
  const lossType = types.get(options.loss);
  if (!lossType) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `Loss \`${options.loss}\` is not a value of graph \`${graph.name}\`; outputs are ${graph.outputs.map((o) => `\`${o.name}\``).join(', ')}.`,
    );
  }
  if (lossType.dtype !== 'float32' && lossType.dtype !== 'float64') {
    throw new BiaslabError(
      'DTYPE',
      `Loss \`${options.loss}\` must be float32 or float64, received \`${lossType.dtype}\`.`,
    );
  }
  if (lossType.shape.length !== 0) {
    throw new BiaslabError(
      'SHAPE',
      `Loss \`${options.loss}\` must be a scalar (shape []), received shape [${lossType.shape.join(', ')}]; reduce it with ReduceSum/ReduceMean and keepdims=0.`,
    );
  }
  const inputs = new Set(graph.inputs.map((i) => i.name));
  const seen = new Set<string>();
  for (const p of options.wrt) {
    if (!inputs.has(p)) {
      throw new BiaslabError(
        'INVALID_OPTIONS',
        `\`${p}\` in \`wrt\` is not an input of graph \`${graph.name}\`; inputs are ${[...inputs].map((n) => `\`${n}\``).join(', ')}.`,
      );
    }
    if (seen.has(p)) throw new BiaslabError('INVALID_OPTIONS', `\`${p}\` appears twice in \`wrt\`.`);
    seen.add(p);
    const dtype = types.get(p)!.dtype;
    if (dtype !== 'float32' && dtype !== 'float64') {
      throw new BiaslabError(
        'DTYPE',
        `Parameter \`${p}\` is \`${dtype}\`; only float32 and float64 inputs can be differentiated.`,
      );
    }
  }
  return lossType;
}
