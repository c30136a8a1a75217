import { verdict } from '@biaslab/report';
import type { Verdict } from '@biaslab/report';
import { formatNumber } from '@biaslab/results';

/** One curve of a U-shape check: its name and its values by η (null where not measured). */
export interface Curve {
  readonly name: string;
  readonly rows: readonly { eta: number; value: number | null }[];
}

/**
 * "U-shaped, with its minimum at neither end": over the rows (sorted by η), the minimiser of `value` is
 * neither the first nor the last row. One verdict row per curve of at least three points, so several curves
 * can be checked at once.
 */
export function uShapeVerdict(label: string, curves: readonly Curve[]): Verdict {
  const shapes = curves.map((c) => {
    const rows = c.rows.filter((r) => r.value !== null).sort((a, b) => a.eta - b.eta);
    let best = 0;
    rows.forEach((r, i) => {
      if (r.value! < rows[best].value!) best = i;
    });
    return { name: c.name, rows, best };
  });
  return verdict(
    label,
    shapes.filter((s) => s.rows.length >= 3),
    (s) => s.best > 0 && s.best < s.rows.length - 1,
    (s) =>
      `${s.name}: minimum ${formatNumber(s.rows[s.best]?.value)} at η = ${formatNumber(s.rows[s.best]?.eta)} ` +
      `(grid ${formatNumber(s.rows[0]?.eta)} … ${formatNumber(s.rows.at(-1)?.eta)})`,
  );
}
