import { BiaslabError } from '@biaslab/core';
import type { Graph } from '@biaslab/core';
import { GraphBuilder, inferTypes } from '@biaslab/onnx';
import type { ValueType } from '@biaslab/onnx';
import { Emitter } from './emitter';
import { gradientGraph } from './gradient-graph';
import type { DiffOptions } from './gradient-graph';
import { pruneGraph } from './prune';
import { dropUnusedInputs, exposeAs, inputLike, reversePass } from './reverse-pass';
import { OPS } from './op-registry';

/** What to push forward: float values of the graph, and the graph inputs that carry tangents. */
export interface JvpOptions {
  /** Values whose directional derivatives are wanted. */
  readonly outputs: readonly string[];
  /** Graph inputs that get a tangent input `tangent/<p>`. */
  readonly wrt: readonly string[];
  /** Name of the output holding J·t for `output` (default `jvp/<output>`). */
  readonly outputName?: (output: string) => string;
}

/**
 * Forward-mode products J·t as a graph transform, derived by transposing reverse mode (the "double-VJP
 * trick", Townsend 2017): with a dummy cotangent u on each output, the VJP a(u) = Jᵀu is linear in u, so a
 * second reverse pass of ⟨a(u), t⟩ with respect to u gives ∂⟨Jᵀu, t⟩/∂u = J·t. Every rule already has a
 * VJP, so no JVP rule table is needed. The result keeps the graph's inputs and outputs and adds inputs
 * `tangent/<p>` (one per wrt, in order) and outputs `jvp/<output>`. u drops out of the result (J·t does not
 * depend on it); an input `cotangent/<output>` is left only when a rule kept a formal dependence on it, and
 * any value may then be fed for it.
 */
export function jvpGraph(graph: Graph, options: JvpOptions): Graph {
  const types = inferTypes(graph, OPS);
  checkJvpValues(graph, types, options.outputs, options.wrt);
  const name = options.outputName ?? ((o: string) => `jvp/${o}`);
  const b1 = GraphBuilder.from(graph);
  const e1 = new Emitter(b1, types, graph.nodes);
  const dummies = options.outputs.map((o) => [o, inputLike(e1, `cotangent/${o}`, o)] as const);
  // a_p(u) = (∂outputs/∂p)ᵀ u
  const pulled = reversePass(graph, e1, options.outputs, options.wrt, () => dummies, 'jvp_transposed', false);
  for (const o of graph.outputs) b1.addOutput(o.name, o.dtype, o.shape);
  for (const a of pulled.values()) b1.addOutput(a, e1.type(a).dtype, e1.type(a).shape);
  const first = b1.build();

  const b2 = GraphBuilder.from(first);
  for (const o of graph.outputs) b2.addOutput(o.name, o.dtype, o.shape);
  const e2 = new Emitter(b2, types, first.nodes);
  const tangents = new Map(options.wrt.map((p) => [p, inputLike(e2, `tangent/${p}`, p)]));
  const dummyNames = dummies.map(([, u]) => u);
  // J·t = ∂⟨a(u), t⟩/∂u, seeded with ∂⟨a, t⟩/∂a = t
  const jt = reversePass(
    first,
    e2,
    [...pulled.values()],
    dummyNames,
    () => [...pulled].map(([p, a]) => [a, tangents.get(p)!] as const),
    'jvp',
  );
  options.outputs.forEach((o, i) => exposeAs(e2, jt.get(dummyNames[i])!, name(o)));
  return dropUnusedInputs(pruneGraph(b2.build()), new Set(dummyNames));
}

/**
 * Hessian-vector products forward over reverse: the JVP (by `jvpGraph`) of the gradient graph in the
 * direction `tangent/<p>`, Hv = ∂/∂ε ∇L(θ + εv). Same inputs and outputs as `hvpGraph` (`loss`, `grad/<p>`,
 * `hvp/<p>`), computed along a different path, so the two cross-check each other.
 */
export function forwardOverReverseHvpGraph(graph: Graph, options: DiffOptions): Graph {
  const gradient = gradientGraph(graph, options);
  return jvpGraph(gradient, {
    outputs: options.wrt.map((p) => `grad/${p}`),
    wrt: options.wrt,
    outputName: (o) => `hvp/${o.slice('grad/'.length)}`,
  });
}

/** Checks that `outputs` are float values and `wrt` float inputs of `graph` (INVALID_OPTIONS otherwise). */
export function checkJvpValues(
  graph: Graph,
  types: Map<string, ValueType>,
  outputs: readonly string[],
  wrt: readonly string[],
): void {
  for (const o of outputs) {
    const t = types.get(o);
    if (!t || (t.dtype !== 'float32' && t.dtype !== 'float64')) {
      throw new BiaslabError(
        'INVALID_OPTIONS',
        `\`${o}\` is not a float value of graph \`${graph.name}\`; a JVP needs float outputs, received \`${t?.dtype ?? 'no such value'}\`.`,
      );
    }
  }
  const inputs = new Set(graph.inputs.map((i) => i.name));
  for (const p of wrt) {
    const t = types.get(p);
    if (!inputs.has(p) || !t || (t.dtype !== 'float32' && t.dtype !== 'float64')) {
      throw new BiaslabError(
        'INVALID_OPTIONS',
        `\`${p}\` in \`wrt\` must be a float input of graph \`${graph.name}\`; inputs are ${[...inputs].map((n) => `\`${n}\``).join(', ')}.`,
      );
    }
  }
}
