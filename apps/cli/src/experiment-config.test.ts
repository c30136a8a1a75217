import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExperiment } from '@biaslab/lab';
import { buildConfig, parseGridFlag } from './experiment-config';
import { experimentFlags } from './experiment-flags';

test('--grid refuses prototype keys in its path, so nothing is deleted from Object.prototype', () => {
  assert.throws(() => parseGridFlag('model.__proto__.hasOwnProperty=1,2'), {
    code: 'INVALID_OPTIONS',
    message: /`grid\.model\.__proto__\.hasOwnProperty` contains the key `__proto__`/,
  });
  assert.equal(typeof Object.prototype.hasOwnProperty, 'function');
  assert.deepEqual(parseGridFlag('model.options.alpha=0.1,1'), ['model.options.alpha', [0.1, 1]]);
});

test('the experiment flags are the schema keys of run and sweep, with the schema defaults', () => {
  const names = (mode: 'run' | 'sweep') =>
    experimentFlags()
      .filter((f) => f.modes.includes(mode))
      .map((f) => f.flag)
      .sort();
  const common = ['model', 'dataset', 'optimizer', 'loss', 'metrics', 'epsilon', 'patience', 'max-steps'];
  const rest = ['divergence', 'dtype', 'seed', 'every', 'threads', 'batch', 'flow', 'out', 'plugin'];
  const sweepOnly = ['lrs', 'lr-from', 'lr-to', 'lr-count', 'lr-spacing', 'grid', 'refine-eta-c'];
  assert.deepEqual(names('run'), [...common, ...rest, 'eta'].sort());
  assert.deepEqual(names('sweep'), [...common, ...rest, ...sweepOnly, 'refine-spread', 'refine-edge'].sort());
  const parsed = parseExperiment({
    model: 'm',
    dataset: 'd',
    lrGrid: { from: 0.1, to: 1, count: 2 },
  }) as Record<string, unknown>;
  for (const flag of experimentFlags().filter((f) => f.default !== undefined)) {
    const value = flag.path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], parsed);
    const expected = flag.flag === 'metrics' ? (value as { name: string }[]).map((m) => m.name) : value;
    assert.deepEqual(flag.default, expected, `--${flag.flag}`);
  }
});

test('flags override the file or main job at their keys; text a schema rejects stays text', () => {
  const dotted = { model: { alpha: 0.2 }, dataset: {}, optimizer: {}, metric: { sharpness: { k: 2 } } };
  const { config, mainJob } = buildConfig(
    {
      patience: '50',
      lrFrom: '0.2',
      lrCount: '3',
      metrics: 'l1, sharpness',
      flow: false,
      plugin: ['./a.js'],
      grid: ['seed=0,1'],
      refineEdge: '2',
      dtype: 'float32',
    },
    dotted,
    '/tmp',
    'sweep',
  );
  assert.equal(mainJob, true);
  assert.deepEqual(config.model, { name: 'dln', options: { parametrization: 'shared', alpha: 0.2 } });
  assert.deepEqual(config.stop, { epsilon: 1e-8, patience: 50, maxSteps: 20_000 });
  assert.deepEqual(config.lrGrid, { from: 0.2, to: 2.6, count: 3, spacing: 'log' });
  assert.equal(config.lrs, undefined);
  assert.deepEqual(config.metrics, [
    { name: 'l1', options: {} },
    { name: 'sharpness', options: { k: 2 } },
  ]);
  assert.equal(config.flow.enabled, false);
  assert.deepEqual(config.plugins, ['./a.js']);
  assert.deepEqual(config.grid, { seed: [0, 1] });
  assert.equal(config.refine.edge, 2);
  assert.equal(config.dtype, 'float32');
  const eta = buildConfig({ eta: '0.3', model: 'dln', dataset: 'one-point' }, noDotted(), '/tmp', 'run');
  assert.deepEqual(eta.config.lrs, [0.3]);
  assert.throws(
    () => buildConfig({ epsilon: 'small' }, noDotted(), '/tmp', 'sweep'),
    /`stop\.epsilon`: expected number, received "small" \(string\)/,
  );
});

function noDotted() {
  return { model: {}, dataset: {}, optimizer: {}, metric: {} };
}
