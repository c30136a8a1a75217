import { BiaslabError } from '@biaslab/core';
import type { Rng } from '@biaslab/core';

/** How a subset of a split is chosen: its first n samples, or a seeded class-balanced sample. */
export type SubsetMode = 'first' | 'balanced';

/**
 * Chooses `n` of the samples in `pool` (indices into `labels`, in file order). `first` keeps the first n (the
 * convention of Cohen et al. 2021's 5k subsets); `balanced` draws ⌊n/K⌋ samples of each of the K `classes`
 * uniformly without replacement (the first n mod K classes get one more), then returns them in file order.
 * `n` undefined keeps the whole pool. Too few samples is an `INVALID_OPTIONS` error naming `option`.
 */
export function chooseSubset(
  pool: readonly number[],
  labels: ArrayLike<number>,
  classes: readonly number[],
  n: number | undefined,
  mode: SubsetMode,
  rng: Rng,
  option: string,
  where: string,
): number[] {
  if (n === undefined) return [...pool];
  if (n > pool.length) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `Option \`${option}\` of \`${where}\` asks for ${n} samples, but only ${pool.length} are available` +
        ' (after the `classes` filter); lower it or leave it out to use every sample.',
      { option, requested: n, available: pool.length },
    );
  }
  if (mode === 'first') return pool.slice(0, n);
  const byClass = new Map<number, number[]>(classes.map((c) => [c, []]));
  for (const i of pool) byClass.get(labels[i])?.push(i);
  const chosen: number[] = [];
  const base = Math.floor(n / classes.length);
  classes.forEach((c, k) => {
    const want = base + (k < n % classes.length ? 1 : 0);
    const members = byClass.get(c)!;
    if (members.length < want) {
      throw new BiaslabError(
        'INVALID_OPTIONS',
        `Option \`${option}\` of \`${where}\`: a balanced subset of ${n} needs ${want} samples of class ${c}, ` +
          `only ${members.length} exist; lower \`${option}\` or use \`subset: first\`.`,
        { option, class: c, requested: want, available: members.length },
      );
    }
    const order = rng.fork(`class-${c}`).permutation(members.length);
    for (let j = 0; j < want; j++) chosen.push(members[order[j]]);
  });
  return chosen.sort((a, b) => a - b);
}
