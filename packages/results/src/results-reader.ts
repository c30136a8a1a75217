import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BiaslabError } from '@biaslab/core';
import { MANIFEST_FILE, RUNS_DIR, taskFilePath } from './experiment-files';
import type { TaskFileKind } from './experiment-files';
import { flowFileRowSchema } from './flow-rows';
import type { FlowFinalRow, FlowRow, FlowSummary } from './flow-rows';
import { readJsonFile, readJsonLines } from './json-lines';
import { experimentManifestSchema } from './manifest';
import type { ExperimentManifest, ManifestPoint } from './manifest';
import { runFileRowSchema } from './run-rows';
import type { MetricValues, RunFinalRow, SeriesRow, SummaryRow } from './run-rows';

/** A row as read back: its schema's keys, typed, and any key a newer writer added, kept as it was. */
export type ReadRow<T> = T & { readonly [key: string]: unknown };

/** A finished run read back. */
export interface RunRecord {
  /** The run's id, its file stem (`000-eta0.1`, `p01-003-eta0.25`). */
  readonly id: string;
  /** Its final row as written, θ included. */
  readonly final: ReadRow<RunFinalRow>;
  /** Its summary row: the final row without θ (what `summary.jsonl` holds). */
  readonly summary: ReadRow<SummaryRow>;
  /** Its series rows in file order; empty unless read with `series: true`. */
  readonly series: readonly SeriesRow[];
}

/** A finished gradient-flow reference read back. */
export interface FlowRecord {
  /** The flow's id (`flow`, `flows/f01`). */
  readonly id: string;
  /** Its final row as written, θ included. */
  readonly final: ReadRow<FlowFinalRow>;
  /** The final row without θ: s_GF, η_c, t_ε, … */
  readonly summary: ReadRow<FlowSummary>;
  /** Its path rows in file order; empty unless read with `series: true`. */
  readonly path: readonly FlowRow[];
}

/** A grid point as the manifest records it, with its flow and its finished runs. */
export interface PointRecord extends Omit<ManifestPoint, 'flow'> {
  /** The id of the point's flow; null when the flow is off. */
  readonly flowId: string | null;
  /** The finished flow, when there is one. */
  readonly flow: FlowRecord | undefined;
  /** The point's finished runs, by η. */
  readonly runs: readonly RunRecord[];
}

/** What an experiment directory holds, read back and checked. */
export interface ExperimentRecord {
  readonly dir: string;
  readonly manifest: ReadRow<ExperimentManifest>;
  readonly points: readonly PointRecord[];
  /** Every finished run, by point and then by position in the point's list. */
  readonly runs: readonly RunRecord[];
  /** Ids of runs whose file has no final row yet (killed or interrupted; a rerun recomputes them). */
  readonly unfinished: readonly string[];
  /** Finished flows by id. */
  readonly flows: ReadonlyMap<string, FlowRecord>;
}

/** Options of {@link readExperiment}. */
export interface ReadExperimentOptions {
  /** Keep every run's series and every flow's path in memory (default false: final rows only). */
  readonly series?: boolean;
}

/** The manifest of `dir`, checked; undefined when `dir` has none. */
export function readManifest(dir: string): ReadRow<ExperimentManifest> | undefined {
  return readJsonFile(join(dir, MANIFEST_FILE), experimentManifestSchema);
}

/** A run file's series rows and final row (absent while the run is unfinished), every row checked. */
export function readRunFile(path: string): { series: SeriesRow[]; final?: ReadRow<RunFinalRow> } {
  const series: SeriesRow[] = [];
  let final: RunFinalRow | undefined;
  for (const row of readJsonLines(path, runFileRowSchema)) {
    if (row.type === 'series') series.push(row);
    else final = row;
  }
  return { series, final };
}

/** A flow file's path rows and final row (absent while the flow is unfinished), every row checked. */
export function readFlowFile(path: string): { path: FlowRow[]; final?: ReadRow<FlowFinalRow> } {
  const rows: FlowRow[] = [];
  let final: FlowFinalRow | undefined;
  for (const row of readJsonLines(path, flowFileRowSchema)) {
    if (row.type === 'flow') rows.push(row);
    else final = row;
  }
  return { path: rows, final };
}

/** The final row of a run's or a flow's file in `dir`, when it has one. */
export function readFinalRow(
  dir: string,
  kind: TaskFileKind,
  id: string,
): ReadRow<RunFinalRow> | ReadRow<FlowFinalRow> | undefined {
  const path = taskFilePath(dir, kind, id);
  return kind === 'run' ? readRunFile(path).final : readFlowFile(path).final;
}

/**
 * Reads an experiment directory: the manifest, and every run's and flow's final row from its own file (the
 * source of truth; `summary.jsonl` is derived from them). Every row is checked against the schema it was
 * written with; a torn last line, left by a killed writer, is ignored, so a directory is readable whenever
 * and however its writer stopped. Nothing is written.
 */
export function readExperiment(dir: string, options: ReadExperimentOptions = {}): ExperimentRecord {
  const manifest = readManifest(dir);
  if (!manifest) {
    throw new BiaslabError(
      'RESULTS',
      `\`${dir}\` is not an experiment directory: it has no \`${MANIFEST_FILE}\`. Give the \`--out\` directory of a run or sweep.`,
    );
  }
  const keep = options.series ?? false;
  const runs: RunRecord[] = [];
  const unfinished: string[] = [];
  for (const id of runIds(dir)) {
    const { series, final } = readRunFile(taskFilePath(dir, 'run', id));
    if (!final) {
      unfinished.push(id);
      continue;
    }
    const { theta: _theta, ...rest } = final;
    runs.push({ id, final, summary: { ...rest, type: 'summary', run: id }, series: keep ? series : [] });
  }
  runs.sort((a, b) => a.final.point - b.final.point || a.final.index - b.final.index);
  const flows = new Map<string, FlowRecord>();
  for (const id of new Set(manifest.points.map((p) => p.flow).filter((f): f is string => !!f))) {
    const { path, final } = readFlowFile(taskFilePath(dir, 'flow', id));
    if (!final) continue;
    const { theta: _theta, ...summary } = final;
    flows.set(id, { id, final, summary, path: keep ? path : [] });
  }
  const declared = new Set(manifest.points.map((p) => p.index));
  const stray = runs.find((r) => !declared.has(r.final.point));
  if (stray) {
    throw new BiaslabError(
      'RESULTS',
      `Run \`${stray.id}\` of \`${dir}\` belongs to grid point ${stray.final.point}, which \`${MANIFEST_FILE}\` does not ` +
        `declare (points ${[...declared].join(', ')}). Remove \`${RUNS_DIR}/${stray.id}.jsonl\` or restore the manifest.`,
    );
  }
  const points = manifest.points.map(({ flow, ...point }): PointRecord => ({
    ...point,
    flowId: flow,
    flow: flow ? flows.get(flow) : undefined,
    runs: runs.filter((r) => r.final.point === point.index).sort((a, b) => a.final.eta - b.final.eta),
  }));
  return { dir, manifest, points, runs, unfinished, flows };
}

/** One series row of a finished run, with the run it belongs to. */
export interface SeriesRecord {
  readonly run: string;
  readonly point: number;
  readonly eta: number;
  readonly seed: number;
  readonly step: number;
  readonly loss: number | null;
  readonly gradNorm: number | null;
  readonly metrics: Readonly<MetricValues>;
}

/**
 * Calls `visit` for every series row of every finished run, run by run in the record's order, reading one run
 * file at a time (memory stays flat however long the series are). Unfinished runs are skipped: their series
 * is recomputed when the experiment resumes.
 */
export function readSeries(record: ExperimentRecord, visit: (row: SeriesRecord) => void): void {
  for (const run of record.runs) {
    const { series } = readRunFile(taskFilePath(record.dir, 'run', run.id));
    for (const row of series) {
      visit({
        run: run.id,
        point: run.final.point,
        eta: run.final.eta,
        seed: run.final.seed,
        step: row.step,
        loss: row.loss,
        gradNorm: row.gradNorm ?? null,
        metrics: row.metrics ?? {},
      });
    }
  }
}

function runIds(dir: string): string[] {
  const runs = join(dir, RUNS_DIR);
  if (!existsSync(runs)) return [];
  return readdirSync(runs)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.slice(0, -'.jsonl'.length))
    .sort();
}
