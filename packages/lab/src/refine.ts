import type { RunStatus } from '@biaslab/results';

/** Learning rates are rounded to this many significant digits, so run ids and files name them exactly. */
const DIGITS = 6;

/** η rounded to the 6 significant digits that run ids carry. */
export function roundEta(eta: number): number {
  return Number(eta.toPrecision(DIGITS));
}

/**
 * `count` learning rates log-spaced over [η_c/(1+spread), η_c·(1+spread)] (η_c itself when count = 1),
 * dropping values already in `existing` (compared after rounding).
 */
export function etaCNeighbours(
  etaC: number | null,
  count: number,
  spread: number,
  existing: readonly number[],
): number[] {
  if (etaC === null || !(etaC > 0) || !Number.isFinite(etaC) || count <= 0) return [];
  const taken = new Set(existing.map(roundEta));
  const out: number[] = [];
  for (let j = 0; j < count; j++) {
    // ηⱼ = η_c · (1+spread)^u with u evenly spaced on [−1, 1]
    const u = count === 1 ? 0 : -1 + (2 * j) / (count - 1);
    const eta = roundEta(etaC * Math.pow(1 + spread, u));
    if (!taken.has(eta)) {
      taken.add(eta);
      out.push(eta);
    }
  }
  return out;
}

/** A finished run as the edge search sees it. */
export interface EtaOutcome {
  readonly eta: number;
  readonly status: RunStatus;
}

/**
 * The divergence edge bracket: η_b = the smallest diverged η, η_a = the largest non-diverged (converged
 * or capped) η below it. Undefined when no run diverged or none below the first diverged one survived.
 */
export function divergenceBracket(
  outcomes: readonly EtaOutcome[],
): { readonly below: number; readonly above: number } | undefined {
  const diverged = outcomes.filter((o) => o.status === 'diverged').map((o) => o.eta);
  if (diverged.length === 0) return undefined;
  const above = Math.min(...diverged);
  const survivors = outcomes.filter((o) => o.status !== 'diverged' && o.eta < above).map((o) => o.eta);
  if (survivors.length === 0) return undefined;
  return { below: Math.max(...survivors), above };
}

/**
 * The next bisection point of the bracket, √(η_a·η_b) (the geometric mean, as the grid is logarithmic),
 * rounded; undefined once rounding can no longer split the bracket.
 */
export function bisectEta(bracket: { readonly below: number; readonly above: number }): number | undefined {
  const mid = roundEta(Math.sqrt(bracket.below * bracket.above));
  return mid > bracket.below && mid < bracket.above ? mid : undefined;
}
