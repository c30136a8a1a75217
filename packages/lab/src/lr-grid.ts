import { formatSignificant } from '@biaslab/results';
import { BiaslabError } from '@biaslab/core';

/** A learning-rate grid: `count` values from `from` to `to` inclusive, log- or linearly spaced. */
export interface LrGrid {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly spacing?: 'log' | 'linear';
}

/**
 * The learning rates of a grid, in increasing order when `from < to`. Log spacing:
 * ηᵢ = from · (to/from)^(i/(count−1)); linear: ηᵢ = from + i·(to − from)/(count−1). One value when count = 1.
 */
export function lrGridValues(grid: LrGrid): number[] {
  const { from, to, count } = grid;
  const spacing = grid.spacing ?? 'log';
  if (!(from > 0) || !(to > 0) || !Number.isFinite(from) || !Number.isFinite(to)) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      `Learning-rate grid needs finite positive \`from\` and \`to\`, received from=${from}, to=${to}`,
    );
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      `Learning-rate grid \`count\` must be an integer ≥ 1, received ${count}`,
    );
  }
  if (count === 1) return [from];
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const f = i / (count - 1);
    // Round to 12 significant digits so the grid's end points are exactly `from` and `to`.
    const eta = spacing === 'log' ? from * Math.pow(to / from, f) : from + f * (to - from);
    values.push(Number(eta.toPrecision(12)));
  }
  return values;
}

/** A short, file-name-safe text for η (`0.125`, `2.6`, `0.00001`, `1e-7`): 6 significant digits. */
export function formatEta(eta: number): string {
  return formatSignificant(eta, 6);
}
