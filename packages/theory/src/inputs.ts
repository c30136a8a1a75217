import { BiaslabError } from '@biaslab/core';

/** A vector as accepted by the public API. */
export type VectorInput = ArrayLike<number>;

/** Copy `v` into a Float64Array, throwing `INVALID_OPTIONS` naming `name` if an entry is not finite. */
export function toVector(v: VectorInput, name: string, length?: number): Float64Array {
  const out = Float64Array.from(v);
  if (length !== undefined && out.length !== length) {
    throw new BiaslabError(
      'SHAPE',
      `\`${name}\` has length ${out.length}; expected ${length}. Pass one entry per coordinate.`,
      { name, expected: length, received: out.length },
    );
  }
  if (out.length === 0)
    throw new BiaslabError('SHAPE', `\`${name}\` is empty; pass at least one entry.`, { name });
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      throw new BiaslabError('INVALID_OPTIONS', `\`${name}[${i}]\` is ${out[i]}; expected a finite number.`, {
        name,
        index: i,
        received: out[i],
      });
    }
  }
  return out;
}

/** Throw `INVALID_OPTIONS` unless `value` is a finite number > 0. */
export function requirePositive(value: number, name: string): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new BiaslabError('INVALID_OPTIONS', `\`${name}\` is ${value}; expected a finite number > 0.`, {
      name,
      received: value,
    });
  }
  return value;
}
