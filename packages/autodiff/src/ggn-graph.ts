import type { Graph } from '@biaslab/core';
import { GraphBuilder, inferTypes } from '@biaslab/onnx';
import { Emitter } from './emitter';
import { checkJvpValues } from './jvp';
import { pruneGraph } from './prune';
import { dropUnusedInputs, exposeAs, inputLike, reversePass } from './reverse-pass';
import { OPS } from './op-registry';

/** What the Gauss–Newton product is built from. */
export interface GgnOptions {
  /** The model output f (a float value of the graph) the loss is a function of. */
  readonly output: string;
  /** Graph inputs (parameters) the product is taken over; each gets an input `tangent/<p>`. */
  readonly wrt: readonly string[];
  /**
   * Emits H_ℓ·w, the Hessian of the loss with respect to the output at f applied to w (shaped like f), and
   * returns the value's name. It must not depend on the parameters other than through f.
   */
  readonly outputHessian: (e: Emitter, f: string, w: string) => string;
}

/**
 * Generalised Gauss–Newton-vector products G·v = Jᵀ H_ℓ J v (Schraudolph 2002; Martens 2010), J = ∂f/∂θ, as
 * one graph: J v by transposing the VJP of f (double-VJP), H_ℓ applied in output space by `outputHessian`,
 * then a VJP of f seeded with H_ℓ J v. G is symmetric, and positive semi-definite when H_ℓ is (MSE, softmax
 * cross-entropy). The result keeps the graph's inputs, adds `tangent/<p>` and has outputs `ggnvp/<p>`.
 */
export function ggnvpGraph(graph: Graph, options: GgnOptions): Graph {
  const types = inferTypes(graph, OPS);
  const f = options.output;
  checkJvpValues(graph, types, [f], options.wrt);
  const b1 = GraphBuilder.from(graph);
  const e1 = new Emitter(b1, types, graph.nodes);
  const u = inputLike(e1, `cotangent/${f}`, f);
  // a_p(u) = (∂f/∂p)ᵀ u
  const pulled = reversePass(graph, e1, [f], options.wrt, () => [[f, u]], 'ggn_transposed', false);
  b1.addOutput(f, e1.type(f).dtype, e1.type(f).shape);
  for (const a of pulled.values()) b1.addOutput(a, e1.type(a).dtype, e1.type(a).shape);
  const first = b1.build();

  const b2 = GraphBuilder.from(first);
  const e2 = new Emitter(b2, types, first.nodes);
  const tangents = new Map(options.wrt.map((p) => [p, inputLike(e2, `tangent/${p}`, p)]));
  // J v = ∂⟨a(u), v⟩/∂u
  const jv = reversePass(
    first,
    e2,
    [...pulled.values()],
    [u],
    () => [...pulled].map(([p, a]) => [a, tangents.get(p)!] as const),
    'ggn_jvp',
  ).get(u)!;
  const hjv = b2.scope('ggn_output_hessian', () => options.outputHessian(e2, f, jv));
  // G v = Jᵀ (H_ℓ J v)
  const gv = reversePass(graph, e2, [f], options.wrt, () => [[f, hjv]], 'ggn_vjp');
  for (const p of options.wrt) exposeAs(e2, gv.get(p)!, `ggnvp/${p}`);
  return dropUnusedInputs(pruneGraph(b2.build()), new Set([u]));
}
