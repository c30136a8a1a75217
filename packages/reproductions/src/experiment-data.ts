import { join } from 'node:path';
import { readExperimentDir } from '@biaslab/report';
import type { ExperimentData, ExperimentPoint, ExperimentRun } from '@biaslab/report';

/** Reads the experiment `id` of a reproduction directory. */
export function readPlan(dir: string, id: string): ExperimentData {
  return readExperimentDir(join(dir, id));
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
