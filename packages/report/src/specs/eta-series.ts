import { positiveOrNull } from '../theme';
import type { SweepPoint } from '../sweep-point';

/** One quantity of a sweep drawn against η: its legend label and how to read it from a point. */
export interface EtaQuantity {
  readonly label: string;
  readonly value: (p: SweepPoint) => number | null | undefined;
}

/** A long-format row: one quantity of one run. */
export interface EtaSeriesRow {
  readonly eta: number;
  readonly value: number;
  readonly quantity: string;
  readonly status: string;
}

/**
 * Long-format rows of the quantities that have at least one value, skipping diverged runs (their final
 * numbers are blow-up artefacts, not solutions) and values a log axis cannot show when `positive` is set.
 */
export function etaSeriesRows(
  points: readonly SweepPoint[],
  quantities: readonly EtaQuantity[],
  positive: boolean,
): { rows: EtaSeriesRow[]; diverged: number } {
  const rows: EtaSeriesRow[] = [];
  let diverged = 0;
  for (const p of points) {
    if (positiveOrNull(p.eta) === null) continue;
    if (p.status === 'diverged') {
      diverged++;
      continue;
    }
    for (const q of quantities) {
      const v = q.value(p);
      if (typeof v !== 'number' || !Number.isFinite(v) || (positive && v <= 0)) continue;
      rows.push({ eta: p.eta, value: v, quantity: q.label, status: p.status });
    }
  }
  return { rows, diverged };
}

/** Subtitle line saying how many diverged runs a figure leaves out. */
export function divergedNote(diverged: number): string | undefined {
  return diverged === 0
    ? undefined
    : `${diverged} diverged run${diverged === 1 ? '' : 's'} not shown (no final solution)`;
}

/** True when positive values span more than `ratio` (a log axis reads better). */
export function spansDecades(values: readonly number[], ratio = 30): boolean {
  const pos = values.filter((v) => v > 0);
  return pos.length > 1 && Math.max(...pos) / Math.min(...pos) > ratio;
}

/** The defined lines of a subtitle. */
export function subtitleLines(...lines: (string | undefined)[]): string[] {
  return lines.filter((l): l is string => l !== undefined && l.length > 0);
}
