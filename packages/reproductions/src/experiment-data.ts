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

/** The final θ a run or flow recorded (its final row's `theta`), or null when an entry was not finite. */
export function finalTheta(row: { readonly theta: readonly (number | null)[] }): readonly number[] | null {
  const { theta } = row;
  return theta.every(isNumber) ? theta : null;
}

/** A final metric of a run by its metric key (`test-loss`, `averaged-norms.l1`), or null. */
export function metricOf(run: ExperimentRun, key: string): number | null {
  return run.final.metrics[key] ?? null;
}

// Non-finite numbers are written as null, so a number read back is finite.
function isNumber(v: number | null): v is number {
  return v !== null;
}
