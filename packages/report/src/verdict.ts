/** The outcome of checking one claim against data. */
export interface Verdict {
  readonly label: string;
  /** True when there is at least one row and every row satisfies the predicate. */
  readonly pass: boolean;
  /** Rows satisfying the predicate. */
  readonly count: number;
  readonly total: number;
  /** `label: yes, 9/9` · `label: no, 7/9` · `label: not tested, no rows`. */
  readonly text: string;
  /** Optional detail, e.g. the rows that failed. */
  readonly detail?: string;
}

/**
 * Checks a claim on every row: `pass` when all `total` rows satisfy `predicate` and there is at least one
 * (a claim about no data is not evidence). The text reads "final S·η/2 within [0.8, 1.1] for all η > η_c: yes,
 * 9/9". `describe` names a failing row in the detail (default: its position).
 */
export function verdict<T>(
  label: string,
  rows: readonly T[],
  predicate: (row: T, index: number, rows: readonly T[]) => boolean,
  describe?: (row: T, index: number) => string,
): Verdict {
  const failed: string[] = [];
  let count = 0;
  rows.forEach((row, i) => {
    if (predicate(row, i, rows)) count++;
    else failed.push(describe ? describe(row, i) : `#${i + 1}`);
  });
  const total = rows.length;
  const pass = total > 0 && count === total;
  const text =
    total === 0 ? `${label}: not tested, no rows` : `${label}: ${pass ? 'yes' : 'no'}, ${count}/${total}`;
  return failed.length > 0 && total > 0
    ? { label, pass, count, total, text, detail: `fails at ${failed.join(', ')}` }
    : { label, pass, count, total, text };
}
