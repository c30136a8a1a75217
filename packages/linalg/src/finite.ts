import { BiaslabError } from '@biaslab/core';

/** Throws `BiaslabError` `RUNTIME` naming the first non-finite entry of `values`, for the routine `where`. */
export function assertFinite(values: ArrayLike<number>, where: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new BiaslabError(
        'RUNTIME',
        `${where}: entry ${i} is \`${values[i]}\`; expected finite numbers. The parameters or the Hessian have diverged.`,
        { index: i },
      );
    }
  }
}
