import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '@biaslab/core';
import { readExperiment, readJsonLines, summaryRowSchema } from '@biaslab/results';
import { parseExperiment } from './experiment';
import { resolveExperiment } from './resolve-experiment';
import { runExperiment } from './execute';
import { fakeObjectiveFactory, fakePlugin } from './fixtures/fake-plugin';

const registry = new Registry().use(fakePlugin);

test('every file an experiment writes reads back under the schemas of @biaslab/results, as it was returned', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'biaslab-lab-format-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const config = parseExperiment({
    model: 'diag',
    dataset: 'point',
    metrics: ['sharpness', 'test-error'],
    lrs: [0.2, 3, 0.7],
    stop: { patience: 20, maxSteps: 2000 },
    every: 50,
    grid: { seed: [0, 1] },
    refine: { etaC: 1, edge: 1 },
  });
  const result = await runExperiment(resolveExperiment(config, registry), {
    out,
    createObjective: fakeObjectiveFactory(),
    manifest: { command: 'test', plugins: ['fake'] },
  });
  const record = readExperiment(out, { series: true });
  assert.deepEqual(record.manifest, result.manifest);
  assert.deepEqual(
    record.runs.map((r) => r.summary),
    result.rows,
  );
  assert.deepEqual(readJsonLines(join(out, 'summary.jsonl'), summaryRowSchema), result.rows);
  assert.deepEqual(
    record.points.map((p) => p.flow?.summary),
    result.points.map((p) => p.flow),
  );
  assert.ok(
    record.runs.some((r) => r.final.status === 'diverged') &&
      record.runs.some((r) => r.final.phase === 'edge'),
  );
  assert.ok(record.runs.every((r) => r.series.length > 0 && r.final.theta.length === 2));
  assert.ok(record.points.every((p) => (p.flow?.path.length ?? 0) > 0));
});
