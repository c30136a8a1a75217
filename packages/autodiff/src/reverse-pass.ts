import { BiaslabError } from '@biaslab/core';
import type { Graph } from '@biaslab/core';
import type { Emitter } from './emitter';
import { planReverse, reverseAccumulate } from './reverse';

/**
 * One reverse pass over `graph`'s nodes, emitted into `e` under `scope`: the cotangents `seeds()` (built
 * only after planning succeeded, so a missing rule fails before anything is emitted) on `targets` are pulled
 * back to every value in `wrt`. A `wrt` no target depends on gets a zero of its shape when `zeros` is set,
 * and is left out of the map otherwise.
 */
export function reversePass(
  graph: Graph,
  e: Emitter,
  targets: readonly string[],
  wrt: readonly string[],
  seeds: () => readonly (readonly [string, string])[],
  scope: string,
  zeros = true,
): Map<string, string> {
  const plan = planReverse(graph.nodes, e, targets, wrt);
  return e.builder.scope(scope, () => {
    const raw = reverseAccumulate(plan, e, seeds(), wrt);
    const out = new Map<string, string>();
    for (const p of wrt) {
      const g = raw.get(p);
      if (g !== undefined) out.set(p, g);
      else if (zeros) {
        const t = e.type(p);
        out.set(p, e.op('Expand', [e.scalar(0, t.dtype), e.int64s(t.shape)]));
      }
    }
    return out;
  });
}

/** Exposes `value` under the exact name `name` through an Identity node and declares it a graph output. */
export function exposeAs(e: Emitter, value: string, name: string): void {
  const out = e.builder.op('Identity', [value], {}, name);
  if (out !== name) {
    throw new BiaslabError(
      'SHAPE',
      `Cannot name a derived output \`${name}\`: the graph already has a value with that name; rename it.`,
      { name },
    );
  }
  const t = e.type(value);
  e.types.set(out, t);
  e.builder.addOutput(out, t.dtype, t.shape);
}

/** Declares an added graph input shaped like `like` and records its type. */
export function inputLike(e: Emitter, name: string, like: string): string {
  const t = e.type(like);
  const added = e.builder.addInput(name, t.dtype, t.shape);
  e.types.set(added, { dtype: t.dtype, shape: t.shape });
  return added;
}

/** Removes the inputs in `names` that no node of `graph` reads (dummy cotangents of a transposed pass). */
export function dropUnusedInputs(graph: Graph, names: ReadonlySet<string>): Graph {
  const read = new Set(graph.nodes.flatMap((n) => n.inputs));
  for (const o of graph.outputs) read.add(o.name);
  return { ...graph, inputs: graph.inputs.filter((i) => !names.has(i.name) || read.has(i.name)) };
}
