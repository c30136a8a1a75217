import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BiaslabError, Registry } from '@biaslab/core';
import { parseExperiment } from './experiment';
import { resolveExperiment } from './resolve-experiment';
import { runExperiment } from './execute';
import { divergenceBracket } from './refine';
import { fakeObjectiveFactory, fakePlugin } from './fixtures/fake-plugin';
import type { ObjectiveFactory } from './prepare';

const registry = new Registry().use(fakePlugin);
const base = {
  model: 'diag',
  dataset: 'point',
  metrics: ['sharpness'],
  lrs: [0.2, 0.7, 3],
  stop: { patience: 20, maxSteps: 5000 },
  every: 0,
};

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'biaslab-lab-grid-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const withoutSeconds = (rows: readonly object[]) =>
  rows.map((r) => JSON.stringify(r, (k, v) => (k === 'seconds' ? undefined : v)));

test('a grid crosses every point with the η list; points with the same model, data and seed share one flow', async (t) => {
  const out = tempDir(t);
  const config = parseExperiment({
    ...base,
    stop: { maxSteps: 5000 },
    grid: { 'model.options.alpha': [0.1, 0.2], 'stop.patience': [5, 50] },
  });
  const result = await runExperiment(resolveExperiment(config, registry), {
    out,
    createObjective: fakeObjectiveFactory(),
  });
  assert.equal(result.points.length, 4);
  assert.equal(result.rows.length, 12);
  assert.deepEqual(readdirSync(join(out, 'flows')).sort(), ['f00.jsonl', 'f01.jsonl']);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.deepEqual(
    manifest.points.map((p: { flow: string }) => p.flow),
    ['flows/f00', 'flows/f00', 'flows/f01', 'flows/f01'],
  );
  assert.equal(manifest.status, 'finished');
  assert.ok(readdirSync(join(out, 'runs')).includes('p03-002-eta3.jsonl'));
  // α changes the flow path, so s_GF and η_c move with it.
  assert.notEqual(result.points[2].flow!.etaC, result.points[0].flow!.etaC);
  assert.equal(result.points[1].flow!.etaC, result.points[0].flow!.etaC);
  for (const row of result.rows) {
    assert.equal(row.grid!['model.options.alpha'], result.points[row.point!].grid['model.options.alpha']);
  }
  // Patience 50 ends later than patience 5 from the same θ₀.
  const steps = (point: number, eta: number) =>
    result.rows.find((r) => r.point === point && r.eta === eta)!.steps;
  assert.equal(steps(1, 0.2) - steps(0, 0.2), 45);
});

test('refinement adds η around η_c and bisects the divergence edge; a rerun recomputes nothing', async (t) => {
  const out = tempDir(t);
  const config = parseExperiment({ ...base, refine: { etaC: 3, edge: 3 } });
  const started: string[] = [];
  const result = await runExperiment(resolveExperiment(config, registry), {
    out,
    createObjective: fakeObjectiveFactory(),
    onTaskStart: (task) => started.push(task.id),
  });
  const byPhase = (phase: string) => result.rows.filter((r) => r.phase === phase);
  const etaC = result.flow!.etaC!;
  assert.deepEqual(
    byPhase('eta-c').map((r) => r.index),
    [3, 4, 5],
  );
  const around = byPhase('eta-c').map((r) => r.eta);
  assert.ok(around.includes(Number(etaC.toPrecision(6))), `η_c ${etaC} in ${around}`);
  assert.ok(Math.abs(around[0] * around[2] - etaC * etaC) / (etaC * etaC) < 1e-5);
  const edge = byPhase('edge');
  assert.deepEqual(
    edge.map((r) => r.index),
    [6, 7, 8],
  );
  assert.ok(Math.abs(edge[0].eta - Math.sqrt(0.7 * 3)) < 1e-5, 'first bisection at √(0.7·3)');
  const bracket = divergenceBracket(result.points[0].rows);
  assert.ok(bracket!.above / bracket!.below <= Math.pow(3 / 0.7, 1 / 8) * 1.0001, JSON.stringify(bracket));
  // The observed break point (@biaslab/reproductions' rule, restated here from the rows): the smallest
  // converged η with S·η/2 > 0.8 and S < 0.95·S_flow lies between η = 0.2 and 0.7.
  const sFlow = Number.isFinite(result.flow!.sFinal) ? result.flow!.sFinal! : result.flow!.sGF;
  const breakEta = result.points[0].rows
    .filter((r) => r.status === 'converged' && r.sharpness !== null)
    .find((r) => (r.sharpness! * r.eta) / 2 > 0.8 && r.sharpness! < 0.95 * sFlow)?.eta;
  assert.ok(breakEta !== undefined && breakEta > 0.2 && breakEta < 0.7, `${breakEta}`);
  assert.equal(started.length, 1 + 9);

  const again: string[] = [];
  const resumed: boolean[] = [];
  const second = await runExperiment(resolveExperiment(config, registry), {
    out,
    createObjective: fakeObjectiveFactory(),
    onTaskStart: (task) => again.push(task.id),
    onRunEnd: (_row, wasResumed) => resumed.push(wasResumed),
  });
  assert.deepEqual(again, [], 'nothing recomputed');
  assert.equal(resumed.length, 9);
  assert.ok(resumed.every(Boolean));
  assert.deepEqual(withoutSeconds(second.rows), withoutSeconds(result.rows));
});

test('an interrupted experiment keeps finished runs, drops the unfinished one, and resumes to the same numbers', async (t) => {
  const config = parseExperiment({ ...base, lrs: [0.2, 0.3, 0.5, 0.7, 3], refine: { edge: 2 } });
  const reference = await runExperiment(resolveExperiment(config, registry), {
    out: tempDir(t),
    createObjective: fakeObjectiveFactory(),
  });
  const out = tempDir(t);
  const controller = new AbortController();
  let ended = 0;
  const first = await runExperiment(resolveExperiment(config, registry), {
    out,
    createObjective: fakeObjectiveFactory(),
    signal: controller.signal,
    onRunEnd: () => {
      if (++ended === 2) controller.abort();
    },
  });
  assert.equal(first.interrupted, true);
  assert.equal(first.rows.length, 2);
  assert.equal(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).status, 'interrupted');
  assert.ok(!existsSync(join(out, '.lock')), 'lock released');
  const finished = await runExperiment(resolveExperiment(config, registry), {
    out,
    createObjective: fakeObjectiveFactory(),
  });
  assert.equal(finished.interrupted, false);
  assert.deepEqual(withoutSeconds(finished.rows), withoutSeconds(reference.rows));
  const summary = readFileSync(join(out, 'summary.jsonl'), 'utf8').trimEnd().split('\n');
  assert.deepEqual(withoutSeconds(summary.map((l) => JSON.parse(l))), withoutSeconds(reference.rows));
});

test('a metric that needs HVPs on a model that cannot give them fails before any run', async (t) => {
  const out = tempDir(t);
  const inner = fakeObjectiveFactory();
  const factory: ObjectiveFactory = async (options) => ({
    ...(await inner(options)),
    hvp: async () => {
      throw new BiaslabError('NO_RULE', 'No VJP rule for `Sin` (opset 17) at node `sin`.');
    },
  });
  await assert.rejects(
    runExperiment(resolveExperiment(parseExperiment(base), registry), { out, createObjective: factory }),
    (e: Error & { code: string }) =>
      e.code === 'NO_RULE' &&
      /metric `sharpness` and the gradient-flow reference need Hessian-vector products, which `model\/diag` cannot give/.test(
        e.message,
      ) &&
      /No VJP rule for `Sin`/.test(e.message) &&
      /--no-flow/.test(e.message),
  );
  assert.deepEqual(readdirSync(join(out, 'runs')), []);
  assert.ok(!existsSync(join(out, 'manifest.json')), 'nothing written');
  assert.equal(inner.disposed, inner.created, 'objectives released');
});
