import { BiaslabError } from '@biaslab/core';
import type { AttributeValue, DType, Graph, GraphNode } from '@biaslab/core';
import { typeOfTensor } from './infer/values';

export { floatAttr, intAttr, intsAttr, normAxis } from './infer/attributes';
export { MAX_TRACKED, broadcastShapes, typeOfTensor } from './infer/values';

/**
 * The inferred type of one value: element type, a concrete shape and, for small integer tensors whose
 * contents are known before running (initializers, `Constant`, `Shape` and simple chains of them), the
 * values themselves. Known values are what let `Reshape`, `Expand`, `Reduce*` axes and `Slice` resolve.
 */
export interface ValueType {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Row-major contents of an int64/int32 (or bool, as 0/1) tensor known at build time. */
  readonly value?: readonly number[];
}

/** What a shape rule sees of one node: its inputs' types, its attributes, and how to fail. */
export interface ShapeContext {
  readonly node: GraphNode;
  readonly opset: number;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** `node \`name\` (Op, opset n)`, for messages. */
  readonly where: string;
  /** The type of input `i` (a `SHAPE` error when it is missing or untyped). */
  input(i: number): ValueType;
  /** The types of all inputs, in order. */
  inputs(): ValueType[];
  /** Whether optional input `i` is given. */
  has(i: number): boolean;
  /** The known contents of int input `i` (`what` names it in the error when they are not known). */
  known(i: number, what: string): readonly number[];
  /** Raises the node's `SHAPE` error: "Shape inference failed at <where>: <what>". */
  fail(what: string): never;
}

/** The output types of one node from its inputs' types (one entry per output). */
export type ShapeRule = (ctx: ShapeContext) => ValueType[];

/**
 * An op set as shape inference sees it: the shape rule of each op it defines (the op definitions of
 * `@biaslab/autodiff`, `OPS`, are one). A rule covers every opset of its op and reads `ctx.opset` where
 * versions differ.
 */
export interface ShapeRuleSet {
  /** The shape rule of `op` in the default ONNX domain, or undefined when the set has none. */
  shapeRule(op: string): ShapeRule | undefined;
}

/** True for the default ONNX domain (`''` or `ai.onnx`), the only one biaslab's op sets define. */
export function isDefaultDomain(domain: string | undefined): boolean {
  return !domain || domain === 'ai.onnx';
}

/**
 * Infers dtype and concrete shape of every value of `graph` (inputs, initializers and node outputs) with the
 * shape rules of `ops`. Graph inputs must have numeric shapes (fix the batch dimension first); a symbolic
 * dimension, an op without a rule or incompatible shapes raise a `BiaslabError` naming the input or node.
 */
export function inferTypes(graph: Graph, ops: ShapeRuleSet): Map<string, ValueType> {
  const env = new Map<string, ValueType>();
  for (const input of graph.inputs) {
    const symbolic = input.shape.find((d) => typeof d !== 'number');
    if (symbolic !== undefined) {
      throw new BiaslabError(
        'SHAPE',
        `Graph input \`${input.name}\` has symbolic dimension \`${symbolic}\` in shape [${input.shape.join(', ')}]; shape inference needs numbers. Fix the dimension (e.g. the batch size) before differentiating.`,
        { input: input.name },
      );
    }
    env.set(input.name, { dtype: input.dtype, shape: input.shape as number[] });
  }
  for (const init of graph.initializers) env.set(init.name, typeOfTensor(init));
  for (const node of graph.nodes) {
    const outs = inferNode(node, env, graph.opset, ops);
    node.outputs.forEach((o, i) => o && env.set(o, outs[i]));
  }
  return env;
}

/** Infers the output types of one node from the types already in `env` (which it does not modify). */
export function inferNode(
  node: GraphNode,
  env: ReadonlyMap<string, ValueType>,
  opset: number,
  ops: ShapeRuleSet,
): ValueType[] {
  const ctx = shapeContext(node, env, opset);
  // the first input is checked before anything else, so a missing one is named whatever the op
  if (node.inputs.length) ctx.input(0);
  if (!isDefaultDomain(node.domain)) {
    throw new BiaslabError(
      'NO_RULE',
      `No shape rule for \`${node.domain}.${node.op}\` at ${ctx.where}; only the default ONNX domain is supported.`,
      { node: node.name, op: node.op },
    );
  }
  const rule = ops.shapeRule(node.op);
  if (!rule) {
    throw new BiaslabError(
      'NO_RULE',
      `No shape rule for \`${node.op}\` (opset ${opset}) at node \`${node.name}\`; give the op a \`shape\` rule in its definition (packages/autodiff/src/ops/) or rewrite the op with supported ones.`,
      { node: node.name, op: node.op, opset },
    );
  }
  return rule(ctx);
}

/** The context a shape rule of `node` reads its inputs through. */
function shapeContext(node: GraphNode, env: ReadonlyMap<string, ValueType>, opset: number): ShapeContext {
  const where = `node \`${node.name}\` (${node.op}, opset ${opset})`;
  const fail = (what: string): never => {
    throw new BiaslabError('SHAPE', `Shape inference failed at ${where}: ${what}`, {
      node: node.name,
      op: node.op,
    });
  };
  const input = (i: number): ValueType => {
    const name = node.inputs[i];
    const t = name ? env.get(name) : undefined;
    if (!t) fail(`input ${i} \`${name ?? ''}\` is missing or has no inferred type`);
    return t as ValueType;
  };
  return {
    node,
    opset,
    attributes: node.attributes,
    where,
    input,
    inputs: () => node.inputs.map((_, i) => input(i)),
    has: (i) => !!node.inputs[i],
    known: (i, what) => {
      const v = input(i).value;
      if (!v)
        fail(`${what} (input \`${node.inputs[i]}\`) must be a constant int tensor known before running`);
      return v as readonly number[];
    },
    fail,
  };
}
