import { BiaslabError, sizeOf } from '@biaslab/core';
import type { AttributeValue, Tensor } from '@biaslab/core';
import type { ValueType } from '../infer';

/** Largest integer tensor whose contents are tracked (shapes and axes are tiny). */
export const MAX_TRACKED = 4096;

/** A tensor's type, with its contents when it is a small integer tensor. */
export function typeOfTensor(t: Tensor): ValueType {
  const tracked =
    (t.dtype === 'int64' || t.dtype === 'int32' || t.dtype === 'bool') && t.data.length <= MAX_TRACKED;
  return {
    dtype: t.dtype,
    shape: [...t.shape],
    ...(tracked ? { value: Array.from(t.data as ArrayLike<number | bigint>, Number) } : {}),
  };
}

/** Numpy-style (multidirectional) broadcast of two shapes; `where` names the node for the error. */
export function broadcastShapes(a: readonly number[], b: readonly number[], where = 'broadcast'): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new BiaslabError(
        'SHAPE',
        `Cannot broadcast shapes [${a.join(', ')}] and [${b.join(', ')}] at ${where}: dimension ${i} is ${da} vs ${db}; make the dimensions equal or 1.`,
      );
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Resolves a Reshape target: 0 copies the input dimension (unless allowzero), −1 is inferred. */
export function reshapeTarget(
  from: readonly number[],
  target: readonly number[],
  allowZero: boolean,
  fail: (what: string) => never,
): number[] {
  const shape = target.map((d, i) => (d === 0 && !allowZero ? from[i] : d));
  const total = sizeOf(from);
  const minus = shape.filter((d) => d === -1).length;
  if (minus > 1) fail(`shape [${target.join(', ')}] has more than one -1`);
  if (minus === 1) {
    const rest = sizeOf(shape.filter((d) => d !== -1));
    if (rest === 0 || total % rest !== 0)
      fail(`cannot infer -1 in [${target.join(', ')}] for ${total} elements`);
    shape[shape.indexOf(-1)] = total / rest;
  }
  if (sizeOf(shape) !== total)
    fail(`cannot reshape [${from.join(', ')}] (${total} elements) to [${target.join(', ')}]`);
  return shape;
}

/** Output shape of numpy-style MatMul (batched, broadcast, 1-D operands promoted and dropped). */
export function matmulShape(
  sa: readonly number[],
  sb: readonly number[],
  fail: (what: string) => never,
): number[] {
  if (sa.length === 0 || sb.length === 0) fail('MatMul inputs must have rank ≥ 1');
  const a = sa.length === 1 ? [1, sa[0]] : sa;
  const b = sb.length === 1 ? [sb[0], 1] : sb;
  const k = a[a.length - 1];
  if (k !== b[b.length - 2]) fail(`inner dimensions differ: [${sa.join(', ')}] · [${sb.join(', ')}]`);
  const batch = broadcastShapes(
    a.slice(0, -2),
    b.slice(0, -2),
    `MatMul batch dims of [${sa.join(', ')}] · [${sb.join(', ')}]`,
  );
  return [
    ...batch,
    ...(sa.length === 1 ? [] : [a[a.length - 2]]),
    ...(sb.length === 1 ? [] : [b[b.length - 1]]),
  ];
}

/** Known contents of a small int Add/Sub/Mul/Div/Max/Min result. */
export function arithValue(
  op: string,
  types: readonly ValueType[],
  shape: readonly number[],
): { value?: number[] } {
  if (types.length !== 2 || !types.every((t) => t.value && (t.dtype === 'int64' || t.dtype === 'int32')))
    return {};
  const [p, q] = types.map((t) => t.value as readonly number[]);
  const n = sizeOf(shape);
  if ((p.length !== n && p.length !== 1) || (q.length !== n && q.length !== 1)) return {};
  const f: Record<string, (u: number, v: number) => number> = {
    Add: (u, v) => u + v,
    Sub: (u, v) => u - v,
    Mul: (u, v) => u * v,
    Div: (u, v) => Math.trunc(u / v),
    Max: Math.max,
    Min: Math.min,
  };
  if (!f[op]) return {};
  return {
    value: Array.from({ length: n }, (_, i) => f[op](p[p.length === 1 ? 0 : i], q[q.length === 1 ? 0 : i])),
  };
}

/** The type of a Constant node from its value attribute. */
export function constantType(
  a: Readonly<Record<string, AttributeValue>>,
  fail: (what: string) => never,
): ValueType {
  const v = a.value ?? a.value_float ?? a.value_floats ?? a.value_int ?? a.value_ints;
  if (!v)
    return fail(
      'needs one of `value`, `value_float(s)`, `value_int(s)` (sparse and string constants are unsupported)',
    );
  switch (v.type) {
    case 'tensor':
      return typeOfTensor(v.value);
    case 'float':
      return { dtype: 'float32', shape: [] };
    case 'floats':
      return { dtype: 'float32', shape: [v.value.length] };
    case 'int':
      return { dtype: 'int64', shape: [], value: [v.value] };
    case 'ints':
      return { dtype: 'int64', shape: [v.value.length], value: [...v.value] };
    default:
      return fail(`attribute of type \`${v.type}\` is unsupported`);
  }
}
