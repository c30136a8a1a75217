import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BiaslabError } from '@biaslab/core';
import { readJsonLines } from './json-lines';
import { ResultsStore } from './results-store';
import type { SummaryRow } from './summary';
import type { FlowSummary } from './flow-summary';
import type { MetricValues } from './metric-evaluator';

/** A grid point as the manifest records it. */
export interface PointRecord {
  readonly index: number;
  readonly label: string;
  readonly grid: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly flow: string | null;
}

/** What an experiment directory holds, read back. */
export interface ExperimentRecord {
  readonly dir: string;
  readonly manifest: Record<string, unknown>;
  readonly points: readonly PointRecord[];
  /** Finished runs (final rows without θ), by point and position. */
  readonly rows: readonly SummaryRow[];
  /** Ids of runs whose file has no final row yet (killed or interrupted; a rerun recomputes them). */
  readonly unfinished: readonly string[];
  /** Finished flows by id. */
  readonly flows: ReadonlyMap<string, FlowSummary>;
}

/** One series row of a finished run, with the run it belongs to. */
export interface SeriesRecord {
  readonly run: string;
  readonly point: number;
  readonly eta: number;
  readonly seed: number | undefined;
  readonly step: number;
  readonly loss: number | null;
  readonly gradNorm: number | null;
  readonly metrics: MetricValues;
}

/**
 * Reads an experiment directory: the manifest, and every run's and flow's final row from its own file (the
 * source of truth; `summary.jsonl` is derived from them). A torn last line, left by a killed writer, is
 * ignored, so a directory is readable whenever and however its writer stopped.
 */
export function readExperiment(dir: string): ExperimentRecord {
  const store = ResultsStore.open(dir);
  const manifest = store.readManifest();
  if (!manifest) {
    throw new BiaslabError(
      'RESULTS',
      `\`${dir}\` is not an experiment directory: it has no \`manifest.json\`. Give the \`--out\` directory of a run or sweep.`,
    );
  }
  const points = ((manifest.points as PointRecord[] | undefined) ?? [
    { index: 0, label: '', grid: {}, seed: manifest.seed as number, flow: 'flow' },
  ]) as PointRecord[];
  const rows: SummaryRow[] = [];
  const unfinished: string[] = [];
  for (const id of runIds(dir)) {
    const final = store.readFinal(store.pathOf('run', id));
    if (!final) {
      unfinished.push(id);
      continue;
    }
    const { theta: _theta, ...rest } = final;
    rows.push({
      ...rest,
      type: 'summary',
      run: id,
      point: (rest.point as number | undefined) ?? 0,
    } as SummaryRow);
  }
  rows.sort((a, b) => a.point! - b.point! || a.index - b.index);
  const flows = new Map<string, FlowSummary>();
  for (const id of new Set(points.map((p) => p.flow).filter((f): f is string => !!f))) {
    const final = store.readFinal(store.pathOf('flow', id));
    if (final) {
      const { theta: _theta, ...rest } = final;
      flows.set(id, rest as unknown as FlowSummary);
    }
  }
  return { dir, manifest, points, rows, unfinished, flows };
}

/**
 * Calls `visit` for every series row of every finished run, run by run in summary order (unfinished runs
 * are skipped: their series is recomputed when the experiment resumes).
 */
export function readSeries(record: ExperimentRecord, visit: (row: SeriesRecord) => void): void {
  const store = ResultsStore.open(record.dir);
  for (const run of record.rows) {
    for (const row of readJsonLines(store.pathOf('run', run.run!))) {
      if (row.type !== 'series') continue;
      visit({
        run: run.run!,
        point: run.point ?? 0,
        eta: run.eta,
        seed: run.seed,
        step: row.step as number,
        loss: (row.loss as number | null) ?? null,
        gradNorm: (row.gradNorm as number | null | undefined) ?? null,
        metrics: (row.metrics as MetricValues | undefined) ?? {},
      });
    }
  }
}

function runIds(dir: string): string[] {
  const runs = join(dir, 'runs');
  if (!existsSync(runs)) return [];
  return readdirSync(runs)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.slice(0, -'.jsonl'.length))
    .sort();
}
