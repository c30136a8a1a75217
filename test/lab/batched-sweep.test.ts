import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '@biaslab/core';
import { BUILT_IN_PLUGINS } from '@biaslab/cli';
import { parseExperiment, resolveExperiment, runExperiment } from '@biaslab/lab';
import type { ExperimentInput } from '@biaslab/lab';
import type { SummaryRow } from '@biaslab/results';

const registry = new Registry();
for (const plugin of BUILT_IN_PLUGINS) registry.use(plugin);

/** Signed diagonal network on sparse regression, plain GD, five η from slow to diverging. */
const SWEEP: ExperimentInput = {
  model: { name: 'dln', options: { parametrization: 'signed', alpha: 0.1 } },
  dataset: { name: 'sparse-regression', options: { n: 10, d: 30, k: 3, nTest: 50 } },
  metrics: ['l1', 'sharpness', 'test-error'],
  lrs: [0.002, 0.1, 0.3, 0.6, 20],
  every: 200,
  flow: { enabled: false },
  stop: { epsilon: 1e-6, patience: 5, maxSteps: 3000 },
  seed: 3,
};

async function sweep(batch: number): Promise<SummaryRow[]> {
  const config = parseExperiment({ ...SWEEP, batch });
  return (await runExperiment(resolveExperiment(config, registry))).rows;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

test('learning rates trained as one batched graph match one run per graph (seed 3)', async () => {
  const resolved = resolveExperiment(parseExperiment(SWEEP), registry);
  assert.equal(resolved.points[0].batchSize, 32, 'plain GD on the diagonal network is batched by default');
  const [batched, alone] = [await sweep(32), await sweep(1)];
  assert.deepEqual(
    batched.map((r) => r.status),
    ['capped', 'converged', 'converged', 'converged', 'diverged'],
  );
  for (const [i, b] of batched.entries()) {
    const a = alone[i];
    const where = `seed 3, η = ${a.eta}`;
    assert.equal(b.eta, a.eta);
    assert.equal(b.status, a.status, where);
    assert.equal(b.steps, a.steps, where);
    if (a.status === 'diverged') continue;
    assert.ok(rel(b.loss!, a.loss!) < 1e-8, `${where}: loss ${b.loss} vs ${a.loss}`);
    const keys = Object.keys(a.metrics);
    assert.ok(keys.includes('sharpness') && keys.includes('test-error'), `${where}: metrics ${keys}`);
    assert.deepEqual(Object.keys(b.metrics), keys, where);
    for (const key of keys) {
      const [x, y] = [b.metrics[key] as number, a.metrics[key] as number];
      assert.ok(rel(x, y) < 1e-8, `${where}: ${key} ${x} vs ${y}`);
    }
  }
});

test('batching is planned only for plain GD without trajectory metrics on a model with a batched graph', () => {
  const size = (input: ExperimentInput) =>
    resolveExperiment(parseExperiment(input), registry).points[0].batchSize;
  assert.equal(size({ ...SWEEP, batch: 8 }), 8);
  assert.equal(size({ ...SWEEP, optimizer: { name: 'gd', options: { weightDecay: 1e-3 } } }), 1);
  assert.equal(
    size({
      ...SWEEP,
      optimizer: { name: 'gd', options: { schedule: { kind: 'linear-warmup', warmupSteps: 5 } } },
    }),
    1,
  );
  assert.equal(size({ ...SWEEP, optimizer: 'momentum' }), 1);
  assert.equal(size({ ...SWEEP, metrics: [...(SWEEP.metrics as string[]), 'averaged-norms'] }), 1);
  assert.equal(size({ ...SWEEP, model: { name: 'mlp', options: { widths: [4] } } }), 1);
});
