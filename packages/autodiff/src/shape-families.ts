import { sizeOf } from '@biaslab/core';
import { broadcastShapes, intAttr, intsAttr, normAxis } from '@biaslab/onnx';
import type { ShapeContext, ShapeRule, ValueType } from '@biaslab/onnx';

/**
 * Shape rules shared by families of ops (elementwise, broadcasting, reductions); an op file picks one, and
 * op-specific rules live in the op's own file.
 */

/** Unary elementwise ops: the output has the input's dtype and shape. */
export const sameType: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  return [{ dtype: x.dtype, shape: x.shape }];
};

/** How a broadcasting op computes known int contents from two known int operands. */
export type IntValue = (u: number, v: number) => number;

/** The broadcast shape of all inputs of `ctx`'s node. */
function broadcastAll(ctx: ShapeContext, types: readonly ValueType[]): readonly number[] {
  let shape = types[0].shape;
  for (const t of types.slice(1)) shape = broadcastShapes(shape, t.shape, ctx.where);
  return shape;
}

/**
 * Broadcasting arithmetic (Add, Mul, Max, Sum, …): numpy-broadcast shape, the first input's dtype (all inputs
 * must share it unless `mixedDtypes`, as for Pow), and with `value` the known contents of a small int result of
 * two known operands (shape computations such as `Shape → Mul → Reshape`).
 */
export function arithmeticShape(options: { value?: IntValue; mixedDtypes?: boolean } = {}): ShapeRule {
  return (ctx) => {
    const types = ctx.inputs();
    const shape = broadcastAll(ctx, types);
    const dtype = types[0].dtype;
    if (!options.mixedDtypes && types.some((t) => t.dtype !== dtype)) {
      ctx.fail(
        `inputs have different dtypes ${types.map((t) => `\`${t.dtype}\``).join(' and ')}; insert a Cast`,
      );
    }
    const value = options.value ? knownValue(options.value, types, shape) : undefined;
    return [{ dtype, shape, ...(value ? { value } : {}) }];
  };
}

/** Comparisons and logic (Greater, Equal, And, …): numpy-broadcast shape, bool output. */
export const comparisonShape: ShapeRule = (ctx) => [
  { dtype: 'bool', shape: broadcastAll(ctx, ctx.inputs()) },
];

/** Known contents of a small int result of two known int operands, or undefined. */
function knownValue(
  f: IntValue,
  types: readonly ValueType[],
  shape: readonly number[],
): number[] | undefined {
  if (types.length !== 2 || !types.every((t) => t.value && (t.dtype === 'int64' || t.dtype === 'int32')))
    return undefined;
  const [p, q] = types.map((t) => t.value as readonly number[]);
  const n = sizeOf(shape);
  if ((p.length !== n && p.length !== 1) || (q.length !== n && q.length !== 1)) return undefined;
  return Array.from({ length: n }, (_, i) => f(p[p.length === 1 ? 0 : i], q[q.length === 1 ? 0 : i]));
}

/**
 * Reductions (ReduceSum, ReduceMean, …): `axes` from an attribute before opset `axesInputSince` and from the
 * optional second input from then on; no axes reduce all (or nothing with `noop_with_empty_axes`); reduced
 * axes are kept as 1 with `keepdims` (default) and dropped otherwise.
 */
export function reduceShape(axesInputSince: number): ShapeRule {
  return (ctx) => {
    const x = ctx.input(0);
    const a = ctx.attributes;
    const r = x.shape.length;
    const given =
      ctx.opset >= axesInputSince ? (ctx.has(1) ? ctx.known(1, 'axes') : undefined) : intsAttr(a, 'axes');
    const noop = intAttr(a, 'noop_with_empty_axes', 0) === 1;
    if ((!given || given.length === 0) && noop) return [{ dtype: x.dtype, shape: x.shape }];
    const axes = new Set(given && given.length ? given.map((ax) => normAxis(ax, r)) : [...Array(r).keys()]);
    const keep = intAttr(a, 'keepdims', 1) === 1;
    const shape = x.shape.flatMap((d, i) => (axes.has(i) ? (keep ? [1] : []) : [d]));
    return [{ dtype: x.dtype, shape }];
  };
}
