import { BiaslabError } from '@biaslab/core';
import type { AttributeValue, DType, GraphNode } from '@biaslab/core';
import { GraphBuilder, attr, inferNode } from '@biaslab/onnx';
import type { ValueType } from '@biaslab/onnx';
import { OPS } from './op-registry';

/**
 * Emits nodes through a GraphBuilder and infers each new value's type on the spot, so rules and the graph
 * walker always know the shape of what they built (needed to undo broadcasting) and a malformed emission
 * fails at the rule that made it. It also records every emitted node, which the closure test inspects.
 */
export class Emitter {
  readonly builder: GraphBuilder;
  readonly types: Map<string, ValueType>;
  readonly opset: number;
  /** Every node emitted so far, in order. */
  readonly emitted: GraphNode[] = [];
  private readonly constants = new Map<string, string>();
  private readonly producers = new Map<string, GraphNode>();

  /** `nodes` are the graph's existing nodes, indexed so that emission can see through them. */
  constructor(builder: GraphBuilder, types: Map<string, ValueType>, nodes: readonly GraphNode[] = []) {
    this.builder = builder;
    this.types = types;
    this.opset = builder.opset;
    for (const n of nodes) for (const o of n.outputs) this.producers.set(o, n);
  }

  /** The inferred type of `name`. */
  type(name: string): ValueType {
    const t = this.types.get(name);
    if (!t)
      throw new BiaslabError(
        'INTERNAL',
        `No inferred type for value \`${name}\`; it was used before being defined`,
      );
    return t;
  }

  /** Appends one node and returns its output. */
  op(op: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}): string {
    const cancelled = op === 'Transpose' ? this.cancelTranspose(inputs[0], attributes) : undefined;
    if (cancelled) return cancelled;
    const out = this.builder.op(op, inputs, attributes);
    const node: GraphNode = { op, name: `${out}_node`, inputs: [...inputs], outputs: [out], attributes };
    const [t] = inferNode(node, this.types, this.opset, OPS);
    this.types.set(out, t);
    this.emitted.push(node);
    this.producers.set(out, node);
    return out;
  }

  /** transpose(transpose(x, p1), p2) = x when p1[p2[i]] = i for all i (second-order passes make these). */
  private cancelTranspose(y: string, attributes: Record<string, AttributeValue>): string | undefined {
    const inner = this.producers.get(y);
    if (!inner || inner.op !== 'Transpose' || inner.domain) return undefined;
    const x = inner.inputs[0];
    const rank = this.type(x).shape.length;
    const perm = (a: Readonly<Record<string, AttributeValue>>) => {
      const p = a.perm;
      return p && p.type === 'ints' ? p.value : [...Array(rank).keys()].reverse();
    };
    const [p1, p2] = [perm(inner.attributes), perm(attributes)];
    return p2.every((q, i) => p1[q] === i) ? x : undefined;
  }

  /** A scalar (shape []) constant of the given dtype, shared between uses. */
  scalar(value: number, dtype: DType): string {
    const key = `${dtype}:${Object.is(value, -0) ? 0 : value}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.builder.scalar(value, dtype, 'c');
      this.types.set(name, { dtype, shape: [], ...(dtype === 'int64' ? { value: [value] } : {}) });
      this.constants.set(key, name);
    }
    return name;
  }

  /** A scalar constant with the dtype of the value `like`. */
  scalarLike(value: number, like: string): string {
    return this.scalar(value, this.type(like).dtype);
  }

  /** A 1-D int64 constant (shapes, axes), shared between uses. */
  int64s(values: readonly number[]): string {
    const key = `i64:[${values.join(',')}]`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.builder.int64s(values, 'shape');
      this.types.set(name, { dtype: 'int64', shape: [values.length], value: [...values] });
      this.constants.set(key, name);
    }
    return name;
  }

  /** `x` reshaped to `shape` (no node when the shape already matches). */
  reshape(x: string, shape: readonly number[]): string {
    return sameShape(this.type(x).shape, shape) ? x : this.op('Reshape', [x, this.int64s(shape)]);
  }

  /** `x` broadcast to `shape` (no node when the shape already matches). */
  expand(x: string, shape: readonly number[]): string {
    return sameShape(this.type(x).shape, shape) ? x : this.op('Expand', [x, this.int64s(shape)]);
  }

  /** Sum over `axes` (all axes when undefined), in the form the opset wants (axes input from opset 13). */
  reduceSum(x: string, axes: readonly number[] | undefined, keepdims: boolean): string {
    const keep = { keepdims: attr.int(keepdims ? 1 : 0) };
    if (axes && axes.length === 0) return x;
    if (this.opset >= 13) return this.op('ReduceSum', axes ? [x, this.int64s(axes)] : [x], keep);
    return this.op('ReduceSum', [x], axes ? { ...keep, axes: attr.ints(axes) } : keep);
  }

  /** Swaps the last two axes of a tensor of rank ≥ 2. */
  transposeLast2(x: string): string {
    const r = this.type(x).shape.length;
    const perm = [...Array(r).keys()];
    [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
    return this.op('Transpose', [x], { perm: attr.ints(perm) });
  }
}

/** True when two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
