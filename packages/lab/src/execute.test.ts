import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOSS_NORMALISATION, Registry } from '@biaslab/core';
import { parseExperiment } from './experiment';
import { resolveExperiment } from './resolve-experiment';
import { runExperiment } from './execute';
import { fakeObjectiveFactory, fakePlugin } from './fixtures/fake-plugin';

const registry = new Registry().use(fakePlugin);
const config = parseExperiment({
  model: 'diag',
  dataset: 'point',
  metrics: ['sharpness', 'test-error'],
  lrs: [0.2, 3, 0.7],
  stop: { patience: 50, maxSteps: 5000 },
  every: 50,
});

function lines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
}

test('an experiment writes manifest, flow, one file per run and the summary, and resumes', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'biaslab-lab-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const factory = fakeObjectiveFactory();
  const resolved = resolveExperiment(config, registry);
  const first = await runExperiment(resolved, { out, createObjective: factory });
  assert.equal(factory.disposed, factory.created, 'objectives disposed');

  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.equal(manifest.lossNormalisation, LOSS_NORMALISATION.mse);
  assert.deepEqual(manifest.learningRates, [0.2, 3, 0.7]);
  assert.equal(manifest.dtype, 'float64');
  assert.equal(manifest.seed, 0);
  assert.equal(typeof manifest.versions['@biaslab/lab'], 'string');
  assert.equal(typeof manifest.machine.node, 'string');
  assert.ok(!readdirSync(out).some((f) => f.endsWith('.tmp')), 'no temp file left');

  const flow = lines(join(out, 'flow.jsonl'));
  assert.equal(flow.at(-1)!.type, 'final');
  assert.ok(Math.abs((flow.at(-1)!.etaC as number) - 0.502) < 0.01);
  assert.equal(first.flow!.etaC, flow.at(-1)!.etaC);

  const files = readdirSync(join(out, 'runs')).sort();
  assert.deepEqual(files, ['000-eta0.2.jsonl', '001-eta3.jsonl', '002-eta0.7.jsonl']);
  const diverged = lines(join(out, 'runs', files[1]));
  const final = diverged.at(-1)!;
  assert.equal(final.type, 'final');
  assert.equal(final.status, 'diverged');
  assert.ok(diverged.slice(0, -1).every((r) => r.type === 'series'));
  const converged = lines(join(out, 'runs', files[0]));
  assert.deepEqual(
    converged.filter((r) => r.type === 'series').map((r) => r.step),
    [0, 50, converged.at(-1)!.steps],
    'series every 50 steps plus the final iterate',
  );
  assert.equal(converged.at(-1)!.status, 'converged');
  assert.equal((converged.at(-1)!.theta as number[]).length, 2);

  const summary = lines(join(out, 'summary.jsonl'));
  assert.deepEqual(
    summary.map((r) => r.index),
    [0, 1, 2],
  );
  assert.deepEqual(
    summary.map((r) => r.status),
    ['converged', 'diverged', 'converged'],
  );
  assert.ok(Math.abs((summary[0].sharpness as number) - first.flow!.sGF) / first.flow!.sGF < 0.01);

  // Rerun: nothing is recomputed and nothing is appended twice.
  const before = files.map((f) => statSync(join(out, 'runs', f)).mtimeMs);
  const resumed: boolean[] = [];
  const second = await runExperiment(resolveExperiment(config, registry), {
    out,
    createObjective: fakeObjectiveFactory(),
    onRunEnd: (_row, wasResumed) => resumed.push(wasResumed),
  });
  assert.deepEqual(resumed, [true, true, true]);
  assert.deepEqual(
    files.map((f) => statSync(join(out, 'runs', f)).mtimeMs),
    before,
  );
  assert.equal(lines(join(out, 'summary.jsonl')).length, 3);
  assert.deepEqual(
    second.rows.map((r) => r.betaL1),
    first.rows.map((r) => r.betaL1),
  );
  assert.equal(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).resumedAt.length, 1);

  // A different configuration in the same directory is refused.
  const other = resolveExperiment(parseExperiment({ ...config, seed: 1 }), registry);
  await assert.rejects(runExperiment(other, { out, createObjective: fakeObjectiveFactory() }), {
    code: 'RESULTS',
  });
});

test('a killed run (file without final row) is recomputed; non-finite numbers are written as null', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'biaslab-lab-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const cfg = parseExperiment({
    ...config,
    lrs: [0.2, 1e3],
    flow: { enabled: false },
    stop: { patience: 5, divergence: 1e300 },
  });
  await runExperiment(resolveExperiment(cfg, registry), { out, createObjective: fakeObjectiveFactory() });
  const runFile = join(out, 'runs', '001-eta1000.jsonl');
  const rows = lines(runFile);
  const final = rows.at(-1)!;
  assert.equal(final.status, 'diverged');
  assert.equal(final.loss, null, 'non-finite loss written as null');
  assert.doesNotMatch(
    readFileSync(runFile, 'utf8'),
    /:\s*-?(NaN|Infinity)\b/,
    'no bare NaN or Infinity values',
  );

  // Simulate a kill: drop the final row and a half-written line; the run is recomputed once.
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    runFile,
    rows
      .slice(0, -1)
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n{"type":"ser',
  );
  const ran: boolean[] = [];
  await runExperiment(resolveExperiment(cfg, registry), {
    out,
    createObjective: fakeObjectiveFactory(),
    onRunEnd: (_row, resumed) => ran.push(resumed),
  });
  assert.deepEqual(ran, [true, false]);
  assert.equal(lines(runFile).at(-1)!.type, 'final');
  assert.equal(lines(join(out, 'summary.jsonl')).length, 2, 'summary row not duplicated');
});
