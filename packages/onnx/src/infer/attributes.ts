import { BiaslabError } from '@biaslab/core';
import type { AttributeValue } from '@biaslab/core';

/** An int attribute, or `fallback` when absent. */
export function intAttr(a: Readonly<Record<string, AttributeValue>>, name: string, fallback: number): number {
  const v = a[name];
  return v && v.type === 'int' ? v.value : fallback;
}

/** An ints attribute, or undefined when absent. */
export function intsAttr(
  a: Readonly<Record<string, AttributeValue>>,
  name: string,
): readonly number[] | undefined {
  const v = a[name];
  return v && v.type === 'ints' ? v.value : undefined;
}

/** A float attribute (accepting an int-typed one), or `fallback` when absent. */
export function floatAttr(
  a: Readonly<Record<string, AttributeValue>>,
  name: string,
  fallback: number,
): number {
  const v = a[name];
  return v && (v.type === 'float' || v.type === 'int') ? v.value : fallback;
}

/** Maps a possibly negative axis into [0, rank) (or [0, rank] with `inclusive`, for bounds such as Shape's end). */
export function normAxis(axis: number, rank: number, inclusive = false): number {
  const ax = axis < 0 ? axis + rank : axis;
  const hi = inclusive ? rank : rank - 1;
  if (ax < 0 || ax > hi) {
    if (inclusive) return Math.min(Math.max(ax, 0), rank);
    throw new BiaslabError(
      'SHAPE',
      `Axis ${axis} is out of range for rank ${rank}; expected an axis in [${-rank}, ${rank - 1}]`,
    );
  }
  return ax;
}
