import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '@biaslab/core';
import { parseExperiment } from './experiment';
import { resolveExperiment } from './resolve-experiment';
import { fakePlugin } from './fixtures/fake-plugin';

const bare = { model: 'diag', dataset: 'point', lrs: [0.1] };
/** The fake plugin has no `l1`, so tests that resolve name their metrics. */
const minimal = { ...bare, metrics: [] };

test('defaults fill in: mse, gd, float64, seed 0, ε 1e-8, patience 100, 100000 steps', () => {
  const c = parseExperiment(bare);
  assert.deepEqual(c.model, { name: 'diag', options: {} });
  assert.deepEqual(c.optimizer, { name: 'gd', options: {} });
  assert.equal(c.loss, 'mse');
  assert.equal(c.dtype, 'float64');
  assert.equal(c.seed, 0);
  assert.deepEqual(
    c.metrics.map((m) => m.name),
    ['l1', 'sharpness', 'test-error'],
  );
  assert.deepEqual(c.stop, { epsilon: 1e-8, patience: 100, maxSteps: 100_000 });
  assert.equal(c.flow.enabled, undefined);
  assert.deepEqual(parseExperiment({ ...minimal, metrics: ['sharpness', { name: 'l1' }] }).metrics, [
    { name: 'sharpness', options: {} },
    { name: 'l1', options: {} },
  ]);
});

test('unknown keys, wrong types and a missing or doubled learning-rate spec are INVALID_CONFIG errors', () => {
  assert.throws(
    () => parseExperiment({ ...minimal, colour: 'red' }, 'exp.yaml'),
    (e: Error & { code: string }) => {
      assert.equal(e.code, 'INVALID_CONFIG');
      assert.match(e.message, /`exp\.yaml`/);
      assert.match(e.message, /unknown key `colour`/);
      return true;
    },
  );
  assert.throws(
    () => parseExperiment({ ...minimal, stop: { epsilon: 'tiny' } }),
    /`stop\.epsilon`: .*number/,
  );
  assert.throws(() => parseExperiment({ model: 'diag', dataset: 'point' }), /exactly one of `lrs`/);
  assert.throws(
    () => parseExperiment({ ...minimal, lrGrid: { from: 0.1, to: 1, count: 3 } }),
    /exactly one of `lrs`/,
  );
});

test('resolution validates component options with their own schema and lists unknown names', () => {
  const registry = new Registry().use(fakePlugin);
  const r = resolveExperiment(
    parseExperiment({
      ...minimal,
      lrs: undefined,
      lrGrid: { from: 0.1, to: 1, count: 3 },
      metrics: ['test-error'],
    }),
    registry,
  );
  assert.deepEqual(r.points[0].model.options, { alpha: 0.1 });
  assert.equal(r.lrs.length, 3);
  assert.equal(r.points[0].flowEnabled, true);
  assert.equal(r.points[0].flowSharpness?.name, 'sharpness');
  assert.equal(resolveExperiment(parseExperiment(minimal), registry, 'run').points[0].flowEnabled, false);
  assert.throws(
    () =>
      resolveExperiment(
        parseExperiment({ ...minimal, model: { name: 'diag', options: { alpha: 'big' } } }),
        registry,
      ),
    (e: Error & { code: string }) =>
      e.code === 'INVALID_OPTIONS' && /`alpha`: expected number, received "big"/.test(e.message),
  );
  assert.throws(
    () => resolveExperiment(parseExperiment({ ...minimal, model: 'mlp' }), registry),
    /Unknown model `mlp`. Available models: diag/,
  );
});
