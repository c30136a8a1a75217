import { join } from 'node:path';
import { DEFAULT_BREAK_POINT_RULE, readExperimentDir, verdict, writeFigure } from '@biaslab/report';
import { formatNumber } from '@biaslab/results';
import type {
  BreakPointRule,
  ExperimentData,
  ExperimentPoint,
  ExperimentRun,
  FigureSpec,
  ReportFigure,
  Verdict,
} from '@biaslab/report';

/** Reads the experiment `id` of a reproduction directory. */
export function readPlan(dir: string, id: string): ExperimentData {
  return readExperimentDir(join(dir, id));
}

/** The break-point rule an experiment recorded (`config.breakPoint`), else the lab default. */
export function breakPointRuleOf(data: ExperimentData): BreakPointRule {
  const bp = (data.manifest.config as { breakPoint?: Partial<BreakPointRule> } | undefined)?.breakPoint;
  return {
    stability: bp?.stability ?? DEFAULT_BREAK_POINT_RULE.stability,
    drop: bp?.drop ?? DEFAULT_BREAK_POINT_RULE.drop,
  };
}

/** Renders `spec` to `figuresDir/name.svg|png` and returns it as a report figure. */
export async function figure(
  figuresDir: string,
  name: string,
  caption: string,
  spec: FigureSpec,
): Promise<ReportFigure> {
  const written = await writeFigure(figuresDir, name, spec, { width: 640, height: 400, scale: 2 });
  return { name: written.name, caption, svg: written.svg };
}

/** Converged runs of a point, by η. */
export function convergedRuns(point: ExperimentPoint): ExperimentRun[] {
  return point.runs.filter((r) => r.status === 'converged').sort((a, b) => a.eta - b.eta);
}

/** `3 converged, 1 capped, 2 diverged` for a list of runs. */
export function statusCounts(runs: readonly { status: string }[]): string {
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

/** The final θ a run recorded (its final row's `theta`), or null. */
export function finalTheta(row: Readonly<Record<string, unknown>>): number[] | null {
  const theta = row.theta;
  return Array.isArray(theta) && theta.every((v) => typeof v === 'number') ? (theta as number[]) : null;
}

/** A final metric of a run by its metric key (`test-loss`, `averaged-norms.l1`), or null. */
export function metricOf(run: ExperimentRun, key: string): number | null {
  const metrics = run.final.metrics as Record<string, unknown> | undefined;
  const v = metrics?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * "U-shaped, with its minimum at neither end": over the rows (sorted by η), the minimiser of `value` is
 * neither the first nor the last row. One verdict row per curve, so several curves can be checked at once.
 */
export function uShapeVerdict(
  label: string,
  curves: readonly { name: string; rows: readonly { eta: number; value: number | null }[] }[],
): Verdict {
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

/** Relative difference |a − b| / |b|. */
export function relativeGap(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

/** Relative ℓ2 distance ‖a − b‖ / ‖b‖. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}
