import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BiaslabError } from '@biaslab/core';
import { finiteOrNull } from './sweep-point';
import type { SweepPoint } from './sweep-point';
import { flowFinalSharpness } from './regimes';

/** A JSON object row as read from a JSON Lines file (unknown keys kept). */
export type JsonRow = Readonly<Record<string, unknown>>;

/** A finished run: its summary numbers for figures, its raw final row, and its series. */
export interface ExperimentRun extends SweepPoint {
  /** Run id (`000-eta0.1`, `p01-002-eta0.3`). */
  readonly id: string;
  /** Grid point index (0 without a grid). */
  readonly point: number;
  readonly seed: number | null;
  /** The run file's final row (or summary row), every key passed through. */
  readonly final: JsonRow;
  /** Series rows (`type: "series"`) in file order. */
  readonly series: readonly JsonRow[];
}

/** The gradient-flow reference of a point. */
export interface FlowReference {
  readonly id: string;
  readonly sGF: number | null;
  readonly etaC: number | null;
  /**
   * S at the flow's last iterate, S(θ_GF(t_ε)): the sharpness flow-aligned runs end at (the summary's `sFinal`,
   * else the last estimate along the path). Equal to s_GF when the flow sharpens to the end.
   */
  readonly sFinal: number | null;
  readonly status: string | null;
  /** The final row, every key passed through. */
  readonly final: JsonRow;
  /** The path rows (t, loss, sharpness, …). */
  readonly series: readonly JsonRow[];
}

/** A grid point as the manifest records it (one implicit point without a grid). */
export interface ExperimentPoint {
  readonly index: number;
  readonly label: string;
  readonly grid: JsonRow;
  readonly flow: FlowReference | null;
  readonly runs: readonly ExperimentRun[];
}

/** An experiment directory read back for the report. */
export interface ExperimentData {
  readonly dir: string;
  readonly manifest: JsonRow;
  readonly points: readonly ExperimentPoint[];
  /** Run files without a final row (interrupted): not reported. */
  readonly unfinished: readonly string[];
}

/**
 * Reads a biaslab experiment directory (`manifest.json`, `flow.jsonl` or `flows/*.jsonl`, `runs/*.jsonl`,
 * `summary.jsonl`) defensively: unknown keys pass through, null and non-finite numbers are missing, torn
 * last lines are skipped. The run files' final rows are the source of truth; `summary.jsonl` is used only
 * when there are no run files.
 */
export function readExperimentDir(dir: string): ExperimentData {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new BiaslabError(
      'RESULTS',
      `\`${dir}\` is not an experiment directory: it has no \`manifest.json\`. Give the \`--out\` directory of a biaslab run or sweep.`,
    );
  }
  let manifest: JsonRow;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as JsonRow;
  } catch (error) {
    throw new BiaslabError(
      'RESULTS',
      `\`${manifestPath}\` is not valid JSON (${(error as Error).message}). Rerun the experiment or restore the file.`,
      {},
      { cause: error },
    );
  }
  const runs: ExperimentRun[] = [];
  const unfinished: string[] = [];
  const runDir = join(dir, 'runs');
  const files = existsSync(runDir)
    ? readdirSync(runDir)
        .filter((f) => f.endsWith('.jsonl'))
        .sort()
    : [];
  for (const file of files) {
    const id = file.slice(0, -'.jsonl'.length);
    const rows = readJsonLinesLoose(join(runDir, file));
    const final = lastFinal(rows);
    if (!final) unfinished.push(id);
    else
      runs.push(
        toRun(
          id,
          final,
          rows.filter((r) => r.type === 'series'),
        ),
      );
  }
  if (files.length === 0 && existsSync(join(dir, 'summary.jsonl'))) {
    readJsonLinesLoose(join(dir, 'summary.jsonl')).forEach((row, i) =>
      runs.push(toRun(String(row.run ?? i), row, [])),
    );
  }
  const declared = Array.isArray(manifest.points)
    ? (manifest.points as JsonRow[])
    : [{ index: 0, flow: 'flow' }];
  const points = declared.map((p, i): ExperimentPoint => {
    const index = typeof p.index === 'number' ? p.index : i;
    const flowId = typeof p.flow === 'string' ? p.flow : null;
    return {
      index,
      label: typeof p.label === 'string' ? p.label : '',
      grid: (p.grid as JsonRow | undefined) ?? {},
      flow: flowId ? readFlow(dir, flowId) : null,
      runs: runs.filter((r) => r.point === index).sort((a, b) => a.eta - b.eta),
    };
  });
  const known = new Set(points.map((p) => p.index));
  const orphans = runs.filter((r) => !known.has(r.point));
  if (orphans.length > 0) {
    for (const point of new Set(orphans.map((r) => r.point))) {
      points.push({
        index: point,
        label: `point ${point}`,
        grid: {},
        flow: null,
        runs: orphans.filter((r) => r.point === point),
      });
    }
  }
  return { dir, manifest, points, unfinished };
}

/** Parses a JSON Lines file, skipping blank, torn or non-object lines. Missing file: no rows. */
export function readJsonLinesLoose(path: string): JsonRow[] {
  if (!existsSync(path)) return [];
  const rows: JsonRow[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const row = JSON.parse(line) as unknown;
      if (row && typeof row === 'object' && !Array.isArray(row)) rows.push(row as JsonRow);
    } catch {
      // a torn last line left by a killed writer
    }
  }
  return rows;
}

/** The last `{"type":"final"}` row (a resumed file may hold an earlier one). */
function lastFinal(rows: readonly JsonRow[]): JsonRow | undefined {
  for (let i = rows.length - 1; i >= 0; i--) if (rows[i].type === 'final') return rows[i];
  return undefined;
}

function readFlow(dir: string, id: string): FlowReference | null {
  const rows = readJsonLinesLoose(join(dir, `${id}.jsonl`));
  const final = lastFinal(rows);
  if (!final) return null;
  return {
    id,
    sGF: finiteOrNull(final.sGF),
    etaC: finiteOrNull(final.etaC),
    sFinal: finiteOrNull(final.sFinal) ?? flowFinalSharpness(rows),
    status: typeof final.status === 'string' ? final.status : null,
    final,
    series: rows.filter((r) => r.type !== 'final'),
  };
}

/** Metric value by name from a row's `metrics` object. */
function metric(row: JsonRow, name: string): number | null {
  const m = row.metrics;
  return m && typeof m === 'object' ? finiteOrNull((m as JsonRow)[name]) : null;
}

function abs(x: number | null): number | null {
  return x === null ? null : Math.abs(x);
}

function toRun(id: string, final: JsonRow, series: JsonRow[]): ExperimentRun {
  return {
    id,
    point: typeof final.point === 'number' ? final.point : 0,
    seed: finiteOrNull(final.seed),
    eta: finiteOrNull(final.eta) ?? Number.NaN,
    status: typeof final.status === 'string' ? final.status : 'unknown',
    steps: finiteOrNull(final.steps),
    sharpness: abs(finiteOrNull(final.sharpness) ?? metric(final, 'sharpness')),
    thetaL1: finiteOrNull(final.thetaL1) ?? metric(final, 'l1'),
    thetaL2: finiteOrNull(final.thetaL2) ?? metric(final, 'l2'),
    betaL1: finiteOrNull(final.betaL1) ?? metric(final, 'beta-l1'),
    loss: finiteOrNull(final.loss),
    testLoss: finiteOrNull(final.testLoss) ?? metric(final, 'test-loss'),
    testError: finiteOrNull(final.testError) ?? metric(final, 'test-error'),
    testAccuracy: finiteOrNull(final.testAccuracy) ?? metric(final, 'test-accuracy'),
    trainAccuracy: finiteOrNull(final.trainAccuracy) ?? metric(final, 'train-accuracy'),
    final,
    series,
  };
}
