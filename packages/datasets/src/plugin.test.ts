import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_VERSION, Registry } from '@biaslab/core';
import { datasetsPlugin, onePointOptions, sparseRegressionOptions } from './index';

test('datasets plugin registers its components', () => {
  assert.equal(datasetsPlugin.apiVersion, API_VERSION);
  const registry = new Registry().use(datasetsPlugin);
  assert.deepEqual(
    registry.list('dataset').map((e) => e.key),
    ['dataset/one-point', 'dataset/sparse-regression'],
  );
});

test('every dataset option has a description', () => {
  for (const schema of [sparseRegressionOptions, onePointOptions]) {
    for (const [key, option] of Object.entries(schema.shape)) {
      assert.ok(option.description && option.description.length > 5, `option \`${key}\` has no description`);
    }
  }
});
