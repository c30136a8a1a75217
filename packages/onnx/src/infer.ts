import { BiaslabError, sizeOf } from '@biaslab/core';
import type { DType, Graph, GraphNode } from '@biaslab/core';
import { DATA_TYPE_CODE } from './codec';
import { intAttr, intsAttr, normAxis } from './infer/attributes';
import { inferNormConvNode } from './infer/nn';
import {
  MAX_TRACKED,
  arithValue,
  broadcastShapes,
  constantType,
  matmulShape,
  reshapeTarget,
  typeOfTensor,
} from './infer/values';
import { padAmounts, paddedShape } from './infer/pad';
import { sliceType } from './infer/slice';
import { splitSizes } from './infer/split';

export { floatAttr, intAttr, intsAttr, normAxis } from './infer/attributes';
export { parseEinsum } from './infer/einsum';
export type { EinsumSpec } from './infer/einsum';
export { convGeometry } from './infer/conv';
export type { ConvGeometry } from './infer/conv';
export { padAmounts, paddedShape } from './infer/pad';
export type { PadAmounts } from './infer/pad';
export { sliceRanges } from './infer/slice';
export type { SliceRange } from './infer/slice';
export { splitSizes } from './infer/split';
export { broadcastShapes, reshapeTarget, typeOfTensor } from './infer/values';

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

const DTYPE_OF_CODE = new Map<number, DType>(Object.entries(DATA_TYPE_CODE).map(([k, v]) => [v, k as DType]));
const SAME_TYPE = new Set([
  'Identity',
  'Neg',
  'Tanh',
  'Relu',
  'Exp',
  'Log',
  'Sqrt',
  'Reciprocal',
  'Sigmoid',
  'Abs',
  'Sign',
  'Softmax',
  'LogSoftmax',
  'Floor',
  'Ceil',
  'Erf',
  'Sin',
  'Cos',
  'Softplus',
  'Elu',
  'LeakyRelu',
  'Gelu',
  'Clip',
]);
const ARITH = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean']);
const COMPARE = new Set(['Greater', 'Less', 'Equal', 'GreaterOrEqual', 'LessOrEqual', 'And', 'Or', 'Xor']);
/** Opset from which each reduction takes `axes` as an input instead of an attribute. */
const AXES_INPUT_SINCE: Record<string, number> = {
  ReduceSum: 13,
  ReduceMean: 18,
  ReduceMax: 18,
  ReduceMin: 18,
  ReduceProd: 18,
  ReduceSumSquare: 18,
  ReduceL1: 18,
  ReduceL2: 18,
  ReduceLogSumExp: 18,
};

/**
 * Infers dtype and concrete shape of every value of `graph`: inputs, initializers and node outputs.
 * Graph inputs must have numeric shapes (fix the batch dimension first); a symbolic dimension, an unknown
 * op or incompatible shapes raise a `BiaslabError` naming the input or node.
 */
export function inferTypes(graph: Graph): Map<string, ValueType> {
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
    const outs = inferNode(node, env, graph.opset);
    node.outputs.forEach((o, i) => o && env.set(o, outs[i]));
  }
  return env;
}

/** Infers the output types of one node from the types already in `env` (which it does not modify). */
export function inferNode(node: GraphNode, env: ReadonlyMap<string, ValueType>, opset: number): ValueType[] {
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
  const has = (i: number): boolean => !!node.inputs[i];
  const known = (i: number, what: string): readonly number[] => {
    const v = input(i).value;
    if (!v) fail(`${what} (input \`${node.inputs[i]}\`) must be a constant int tensor known before running`);
    return v as readonly number[];
  };
  const a = node.attributes;
  const x = node.inputs.length ? input(0) : undefined;
  if (node.domain) {
    throw new BiaslabError(
      'NO_RULE',
      `No shape rule for \`${node.domain}.${node.op}\` at ${where}; only the default ONNX domain is supported.`,
      { node: node.name, op: node.op },
    );
  }

  if (SAME_TYPE.has(node.op))
    return [
      {
        dtype: x!.dtype,
        shape: x!.shape,
        ...(node.op === 'Identity' && x!.value ? { value: x!.value } : {}),
      },
    ];
  if (ARITH.has(node.op) || COMPARE.has(node.op)) {
    const types = node.inputs.map((_, i) => input(i));
    let shape = types[0].shape;
    for (const t of types.slice(1)) shape = broadcastShapes(shape, t.shape, where);
    const dtype = COMPARE.has(node.op) ? 'bool' : types[0].dtype;
    if (ARITH.has(node.op) && node.op !== 'Pow' && types.some((t) => t.dtype !== dtype)) {
      fail(`inputs have different dtypes ${types.map((t) => `\`${t.dtype}\``).join(' and ')}; insert a Cast`);
    }
    return [{ dtype, shape, ...arithValue(node.op, types, shape) }];
  }
  switch (node.op) {
    case 'Not':
      return [{ dtype: 'bool', shape: x!.shape }];
    case 'Where': {
      const shape = broadcastShapes(broadcastShapes(x!.shape, input(1).shape, where), input(2).shape, where);
      return [{ dtype: input(1).dtype, shape }];
    }
    case 'Cast': {
      const dtype = DTYPE_OF_CODE.get(intAttr(a, 'to', -1));
      if (!dtype) fail(`attribute \`to\` = ${intAttr(a, 'to', -1)} is not a dtype biaslab handles`);
      const intOut = dtype === 'int64' || dtype === 'int32';
      return [
        {
          dtype: dtype!,
          shape: x!.shape,
          ...(intOut && x!.value ? { value: x!.value.map(Math.trunc) } : {}),
        },
      ];
    }
    case 'Constant':
      return [constantType(a, fail)];
    case 'Shape': {
      const r = x!.shape.length;
      const start = normAxis(intAttr(a, 'start', 0), r, true);
      const end = normAxis(intAttr(a, 'end', r), r, true);
      const value = x!.shape.slice(start, end);
      return [{ dtype: 'int64', shape: [value.length], value }];
    }
    case 'ConstantOfShape': {
      const shape = known(0, 'shape');
      const v = a.value?.type === 'tensor' ? a.value.value : undefined;
      const dtype = v?.dtype ?? 'float32';
      const fill = v ? Number(v.data[0]) : 0;
      const n = sizeOf(shape);
      return [
        {
          dtype,
          shape,
          ...((dtype === 'int64' || dtype === 'int32') && n <= MAX_TRACKED
            ? { value: new Array(n).fill(fill) }
            : {}),
        },
      ];
    }
    case 'MatMul':
      return [{ dtype: x!.dtype, shape: matmulShape(x!.shape, input(1).shape, fail) }];
    case 'Gemm': {
      const [ta, tb] = [intAttr(a, 'transA', 0), intAttr(a, 'transB', 0)];
      const sa = input(0).shape,
        sb = input(1).shape;
      if (sa.length !== 2 || sb.length !== 2)
        fail(`A and B must be matrices, received [${sa.join(', ')}] and [${sb.join(', ')}]`);
      const [m, k] = ta ? [sa[1], sa[0]] : [sa[0], sa[1]];
      const [k2, n] = tb ? [sb[1], sb[0]] : [sb[0], sb[1]];
      if (k !== k2) fail(`inner dimensions differ: A gives ${k}, B gives ${k2}`);
      if (has(2)) broadcastShapes(input(2).shape, [m, n], where);
      return [{ dtype: x!.dtype, shape: [m, n] }];
    }
    case 'Transpose': {
      const r = x!.shape.length;
      const perm = intsAttr(a, 'perm') ?? [...Array(r).keys()].reverse();
      if (perm.length !== r || [...perm].sort((p, q) => p - q).some((p, i) => p !== i))
        fail(`perm [${perm.join(', ')}] is not a permutation of rank ${r}`);
      return [{ dtype: x!.dtype, shape: perm.map((p) => x!.shape[p]) }];
    }
    case 'Reshape': {
      const shape = reshapeTarget(x!.shape, known(1, 'shape'), intAttr(a, 'allowzero', 0) === 1, fail);
      return [{ dtype: x!.dtype, shape, ...(x!.value ? { value: x!.value } : {}) }];
    }
    case 'Flatten': {
      const r = x!.shape.length;
      const axis = normAxis(intAttr(a, 'axis', 1), r, true);
      return [{ dtype: x!.dtype, shape: [sizeOf(x!.shape.slice(0, axis)), sizeOf(x!.shape.slice(axis))] }];
    }
    case 'Expand':
      return [{ dtype: x!.dtype, shape: broadcastShapes(x!.shape, known(1, 'shape'), where) }];
    case 'Unsqueeze': {
      const axes =
        opset >= 13 ? known(1, 'axes') : (intsAttr(a, 'axes') ?? fail('attribute `axes` is required'));
      const r = x!.shape.length + axes.length;
      const norm = new Set(axes.map((ax) => normAxis(ax, r)));
      const shape: number[] = [];
      let j = 0;
      for (let i = 0; i < r; i++) shape.push(norm.has(i) ? 1 : x!.shape[j++]);
      return [{ dtype: x!.dtype, shape, ...(x!.value ? { value: x!.value } : {}) }];
    }
    case 'Squeeze': {
      const given = opset >= 13 ? (has(1) ? known(1, 'axes') : undefined) : intsAttr(a, 'axes');
      const r = x!.shape.length;
      const axes = new Set(
        given ? given.map((ax) => normAxis(ax, r)) : x!.shape.flatMap((d, i) => (d === 1 ? [i] : [])),
      );
      for (const ax of axes)
        if (x!.shape[ax] !== 1) fail(`cannot squeeze axis ${ax} of size ${x!.shape[ax]}`);
      return [
        {
          dtype: x!.dtype,
          shape: x!.shape.filter((_, i) => !axes.has(i)),
          ...(x!.value ? { value: x!.value } : {}),
        },
      ];
    }
    case 'Concat': {
      const types = node.inputs.map((_, i) => input(i));
      const r = types[0].shape.length;
      const axis = normAxis(intAttr(a, 'axis', 0), r);
      const shape = [...types[0].shape];
      shape[axis] = types.reduce((s, t) => s + t.shape[axis], 0);
      const value =
        r === 1 && types.every((t) => t.value) ? types.flatMap((t) => t.value as number[]) : undefined;
      return [{ dtype: types[0].dtype, shape, ...(value ? { value } : {}) }];
    }
    case 'Gather': {
      const idx = input(1);
      const r = x!.shape.length;
      const axis = normAxis(intAttr(a, 'axis', 0), r);
      const shape = [...x!.shape.slice(0, axis), ...idx.shape, ...x!.shape.slice(axis + 1)];
      const value =
        r === 1 && x!.value && idx.value
          ? idx.value.map((i) => x!.value![i < 0 ? i + x!.shape[0] : i])
          : undefined;
      return [{ dtype: x!.dtype, shape, ...(value ? { value } : {}) }];
    }
    case 'Split': {
      const r = x!.shape.length;
      const axis = normAxis(intAttr(a, 'axis', 0), r);
      const split = opset >= 13 && has(1) ? known(1, 'split') : undefined;
      const sizes = splitSizes(x!.shape[axis], opset, a, split, node.outputs.length);
      return sizes.map((n) => ({ dtype: x!.dtype, shape: x!.shape.map((d, i) => (i === axis ? n : d)) }));
    }
    case 'Pad': {
      if (opset < 11) fail('Pad before opset 11 (pads as an attribute) is unsupported; use opset ≥ 11');
      const axes = opset >= 18 && has(3) ? known(3, 'axes') : undefined;
      const shape = paddedShape(x!.shape, padAmounts(x!.shape.length, known(1, 'pads'), axes));
      return [{ dtype: x!.dtype, shape }];
    }
    case 'Slice':
      return [
        sliceType(
          x!,
          known(1, 'starts'),
          known(2, 'ends'),
          has(3) ? known(3, 'axes') : undefined,
          has(4) ? known(4, 'steps') : undefined,
        ),
      ];
  }
  const nn = inferNormConvNode(node, input, opset, fail);
  if (nn) return nn;
  const axesSince = AXES_INPUT_SINCE[node.op];
  if (axesSince !== undefined) {
    const r = x!.shape.length;
    const given = opset >= axesSince ? (has(1) ? known(1, 'axes') : undefined) : intsAttr(a, 'axes');
    const noop = intAttr(a, 'noop_with_empty_axes', 0) === 1;
    if ((!given || given.length === 0) && noop) return [{ dtype: x!.dtype, shape: x!.shape }];
    const axes = new Set(given && given.length ? given.map((ax) => normAxis(ax, r)) : [...Array(r).keys()]);
    const keep = intAttr(a, 'keepdims', 1) === 1;
    const shape = x!.shape.flatMap((d, i) => (axes.has(i) ? (keep ? [1] : []) : [d]));
    return [{ dtype: x!.dtype, shape }];
  }
  throw new BiaslabError(
    'NO_RULE',
    `No shape rule for \`${node.op}\` (opset ${opset}) at node \`${node.name}\`; extend \`inferNode\` in @biaslab/onnx or rewrite the op with supported ones.`,
    { node: node.name, op: node.op, opset },
  );
}
