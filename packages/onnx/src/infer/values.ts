import { BiaslabError } from '@biaslab/core';
import type { Tensor } from '@biaslab/core';
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
