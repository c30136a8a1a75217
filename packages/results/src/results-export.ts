import { closeSync, openSync, writeSync } from 'node:fs';
import { csvLine } from './csv';
import { readSeries } from './results-reader';
import type { ExperimentRecord } from './results-reader';
import type { RunFinalRow } from './run-rows';

const RUN_COLUMNS: readonly (keyof RunFinalRow)[] = [
  'eta',
  'seed',
  'phase',
  'status',
  'steps',
  'reason',
  'loss',
  'thetaL1',
  'betaL1',
  'twoOverEta',
  'sharpnessEtaOver2',
  'seconds',
];

/** Grid paths whose value differs between points (the configuration values that vary). */
export function varyingPaths(record: ExperimentRecord): string[] {
  const paths = new Set(record.points.flatMap((p) => Object.keys(p.grid)));
  // `seed` has a column of its own.
  return [...paths].filter(
    (path) => path !== 'seed' && new Set(record.points.map((p) => JSON.stringify(p.grid[path]))).size > 1,
  );
}

/** Metric keys in order of first appearance over the rows. */
function metricKeys(metrics: Iterable<Readonly<Record<string, unknown>>>): string[] {
  const keys = new Set<string>();
  for (const m of metrics) for (const key of Object.keys(m)) keys.add(key);
  return [...keys];
}

/**
 * CSV text with one row per finished run: run id, point, the grid values that vary, η, seed, phase, status,
 * steps, reason, final loss, ‖θ‖₁, ‖β‖₁, 2/η, S·η/2, seconds, then every final metric (one column per key).
 */
export function runsCsv(record: ExperimentRecord): string {
  const varying = varyingPaths(record);
  const metrics = metricKeys(record.runs.map((r) => r.final.metrics));
  const grids = new Map(record.points.map((p) => [p.index, p.grid]));
  let text = csvLine(['run', 'point', ...varying, ...RUN_COLUMNS, ...metrics]);
  for (const { id, final } of record.runs) {
    const grid = grids.get(final.point) ?? {};
    text += csvLine([
      id,
      final.point,
      ...varying.map((p) => grid[p]),
      ...RUN_COLUMNS.map((c) => final[c]),
      ...metrics.map((k) => final.metrics[k]),
    ]);
  }
  return text;
}

/**
 * Writes the per-step series of every finished run to `path` as CSV: run, point, η, seed, step, loss,
 * ‖∇L‖, then every metric key that appears (empty where a row has no value). Two passes over the run files
 * (keys, then rows), so memory stays flat however long the series are. Returns the number of rows.
 */
export function seriesCsv(record: ExperimentRecord, path: string): number {
  const keys = new Set<string>();
  readSeries(record, (row) => {
    for (const key of Object.keys(row.metrics)) keys.add(key);
  });
  const metrics = [...keys];
  const fd = openSync(path, 'w');
  let count = 0;
  try {
    let buffer = csvLine(['run', 'point', 'eta', 'seed', 'step', 'loss', 'gradNorm', ...metrics]);
    readSeries(record, (row) => {
      buffer += csvLine([
        row.run,
        row.point,
        row.eta,
        row.seed,
        row.step,
        row.loss,
        row.gradNorm,
        ...metrics.map((k) => row.metrics[k]),
      ]);
      count++;
      if (buffer.length > 1 << 16) {
        writeSync(fd, buffer);
        buffer = '';
      }
    });
    writeSync(fd, buffer);
  } finally {
    closeSync(fd);
  }
  return count;
}
