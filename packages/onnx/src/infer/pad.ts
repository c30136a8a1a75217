import { BiaslabError } from '@biaslab/core';
import { normAxis } from './attributes';

/** Per-axis padding of a Pad node: `begin[i]` and `end[i]` elements added (removed when negative) on axis i. */
export interface PadAmounts {
  readonly begin: readonly number[];
  readonly end: readonly number[];
}

/**
 * Resolves Pad's `pads` ([b₁…bₖ, e₁…eₖ] over `axes`, or over all axes when `axes` is absent, opset ≥ 18)
 * into begin/end amounts for every axis of a rank-`rank` tensor.
 */
export function padAmounts(rank: number, pads: readonly number[], axes?: readonly number[]): PadAmounts {
  const ax = axes ? axes.map((a) => normAxis(a, rank)) : [...Array(rank).keys()];
  if (pads.length !== 2 * ax.length) {
    throw new BiaslabError(
      'SHAPE',
      `Pad expects ${2 * ax.length} pad amounts (begin and end for ${ax.length} axes), received ${pads.length}; fix \`pads\`.`,
    );
  }
  const begin = new Array<number>(rank).fill(0);
  const end = new Array<number>(rank).fill(0);
  ax.forEach((a, j) => {
    begin[a] = pads[j];
    end[a] = pads[j + ax.length];
  });
  return { begin, end };
}

/** The shape of `shape` padded by `p`. */
export function paddedShape(shape: readonly number[], p: PadAmounts): number[] {
  return shape.map((d, i) => {
    const n = d + p.begin[i] + p.end[i];
    if (n < 0)
      throw new BiaslabError(
        'SHAPE',
        `Pad removes more than axis ${i} holds (size ${d}, pads ${p.begin[i]}, ${p.end[i]})`,
      );
    return n;
  });
}
