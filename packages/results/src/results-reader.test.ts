import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBiaslabError } from '@biaslab/core';
import { readExperiment, readSeries } from './results-reader';
import { ResultsStore } from './results-store';
import { runsCsv } from './results-export';
import type { ExperimentManifest } from './manifest';
import type { FlowFinalRow, FlowRow } from './flow-rows';
import type { RunFinalRow, SeriesRow } from './run-rows';

const manifest: ExperimentManifest = {
  biaslab: 'experiment',
  mode: 'sweep',
  config: {
    model: { name: 'dln', options: { alpha: 0.1 } },
    dataset: { name: 'one-point', options: {} },
    optimizer: { name: 'gd', options: {} },
    loss: 'mse',
    dtype: 'float64',
    seed: 0,
    stop: { epsilon: 1e-8, patience: 5, maxSteps: 100 },
    breakPoint: { stability: 0.8, drop: 0.05 },
  },
  learningRates: [0.2, 3],
  points: [
    { index: 0, label: 'alpha=0.1', grid: { alpha: 0.1 }, seed: 0, flow: 'flows/f00' },
    { index: 1, label: 'alpha=0.2', grid: { alpha: 0.2 }, seed: 0, flow: null },
  ],
  seeds: [0],
  seed: 0,
  dtype: 'float64',
  loss: 'mse',
  lossNormalisation: 'L(θ) = (1/n) Σᵢ ½‖f(xᵢ) − yᵢ‖²',
  breakPointRule: 'observed break point = …',
  machine: { node: 'v20', platform: 'linux', release: '6', arch: 'x64', cpu: 'test', cpus: 2, memoryGiB: 8 },
  workers: 1,
  versions: { '@biaslab/lab': '0.1.0' },
  status: 'finished',
  startedAt: '2026-01-01T00:00:00.000Z',
};

function finalRow(point: number, index: number, eta: number): RunFinalRow {
  const diverged = eta > 1;
  return {
    type: 'final',
    index,
    eta,
    status: diverged ? 'diverged' : 'converged',
    steps: 10,
    reason: 'test',
    loss: diverged ? Number.POSITIVE_INFINITY : 1e-9,
    thetaL1: 1.5,
    sharpness: diverged ? null : 3.9,
    twoOverEta: 2 / eta,
    sharpnessEtaOver2: diverged ? null : (3.9 * eta) / 2,
    testError: null,
    metrics: { sharpness: diverged ? null : 3.9 },
    seconds: 0.1,
    run: runId(point, index, eta),
    point,
    grid: { alpha: point === 0 ? 0.1 : 0.2 },
    seed: 0,
    phase: 'grid',
    theta: [1, diverged ? Number.NaN : 2],
  };
}

function runId(point: number, index: number, eta: number): string {
  return `p0${point}-00${index}-eta${eta}`;
}

/** A two-point experiment written through the store: runs of both points, one flow, one torn run file. */
function writeExperiment(): string {
  const dir = mkdtempSync(join(tmpdir(), 'biaslab-results-'));
  const store = ResultsStore.open(dir);
  store.writeManifest(manifest);
  for (const point of [1, 0]) {
    for (const [index, eta] of [3, 0.2].entries()) {
      const writer = store.begin(store.pathOf('run', runId(point, index, eta)));
      const series: SeriesRow[] = [0, 5].map((step) => ({ type: 'series', step, loss: 1 / (step + 1) }));
      for (const row of series) writer.append(row);
      writer.append({ ...finalRow(point, index, eta), extra: 'kept' });
      writer.close();
    }
  }
  const flow = store.begin(store.pathOf('flow', 'flows/f00'));
  const path: FlowRow = { type: 'flow', step: 0, t: 0, loss: 1, sharpness: 3.9, h: 0.05 };
  const final: FlowFinalRow = {
    type: 'final',
    status: 'converged',
    reason: 'test',
    sGF: 4,
    etaC: 0.5,
    tEps: 2,
    epsilon: 1e-8,
    steps: 40,
    loss: 1e-9,
    thetaL1: 1.5,
    seconds: 0.2,
    flow: 'flows/f00',
    theta: [1, 2],
  };
  flow.append(path);
  flow.append(final);
  flow.close();
  writeFileSync(store.pathOf('run', 'p01-002-eta0.5'), '{"type":"series","step":0,"loss":1}\n{"type":"fin');
  return dir;
}

test('readExperiment reads back what the store wrote: points, runs by η, flows, unfinished runs', (t) => {
  const dir = writeExperiment();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const record = readExperiment(dir);
  assert.equal(record.manifest.config.model.name, 'dln');
  assert.deepEqual(record.unfinished, ['p01-002-eta0.5']);
  assert.deepEqual(
    record.runs.map((r) => r.id),
    ['p00-000-eta3', 'p00-001-eta0.2', 'p01-000-eta3', 'p01-001-eta0.2'],
    'by point, then position',
  );
  assert.deepEqual(
    record.points.map((p) => p.runs.map((r) => r.final.eta)),
    [
      [0.2, 3],
      [0.2, 3],
    ],
    'each point by η',
  );
  const diverged = record.runs[0];
  assert.equal(diverged.final.loss, null, 'non-finite numbers come back as null');
  assert.deepEqual(diverged.final.theta, [1, null]);
  assert.equal(diverged.final.extra, 'kept', 'unknown keys pass through');
  assert.equal(diverged.summary.type, 'summary');
  assert.ok(!('theta' in diverged.summary), 'summary rows hold no θ');
  assert.deepEqual(diverged.series, [], 'series only on request');
  assert.equal(record.points[0].flow?.summary.etaC, 0.5);
  assert.equal(record.points[1].flow, undefined);
  assert.ok(!('theta' in record.points[0].flow!.summary));

  const full = readExperiment(dir, { series: true });
  assert.deepEqual(
    full.runs[0].series.map((r) => r.step),
    [0, 5],
  );
  assert.equal(full.points[0].flow?.path.length, 1);
  const steps: string[] = [];
  readSeries(record, (row) => steps.push(`${row.run}@${row.step}`));
  assert.equal(steps.length, 8);
  assert.equal(runsCsv(record).split('\r\n')[0].split(',').slice(0, 4).join(','), 'run,point,alpha,eta');
});

test('a row that does not match its schema is an error naming the file, the line and the key', (t) => {
  const dir = writeExperiment();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'runs', 'p00-001-eta0.2.jsonl');
  const lines = readFileSync(path, 'utf8').split('\n');
  lines[1] = JSON.stringify({ type: 'series', step: 'five', loss: 1 });
  writeFileSync(path, lines.join('\n'));
  assert.throws(
    () => readExperiment(dir),
    (e) =>
      isBiaslabError(e, 'RESULTS') &&
      (e as Error).message.includes(`Line 2 of \`${path}\` is not a valid run-file row`) &&
      /key `step`: expected number, received "five"/.test((e as Error).message),
  );
  lines[1] = '{"type":"series",';
  writeFileSync(path, lines.join('\n'));
  assert.throws(
    () => readExperiment(dir),
    (e) => isBiaslabError(e, 'RESULTS') && /Line 2 of .* is not JSON/.test((e as Error).message),
  );
});

test('the manifest is checked; a run of an undeclared point is an error; reading writes nothing', (t) => {
  const dir = writeExperiment();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const stray = join(dir, 'runs', 'p05-000-eta0.2.jsonl');
  appendFileSync(stray, `${JSON.stringify({ ...finalRow(5, 0, 0.2), run: 'p05-000-eta0.2' })}\n`);
  assert.throws(
    () => readExperiment(dir),
    (e) => isBiaslabError(e, 'RESULTS') && /belongs to grid point 5/.test((e as Error).message),
  );
  rmSync(stray);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, status: 'done' }));
  assert.throws(
    () => readExperiment(dir),
    (e) =>
      isBiaslabError(e, 'RESULTS') &&
      /manifest\.json` is not a valid experiment manifest:\n {2}key `status`: expected one of/.test(
        (e as Error).message,
      ),
  );
  const empty = join(dir, 'nothing-here');
  assert.throws(
    () => readExperiment(empty),
    (e) => isBiaslabError(e, 'RESULTS') && /has no `manifest\.json`/.test((e as Error).message),
  );
  assert.ok(!existsSync(empty), 'reading does not create directories');
});
