import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_VERSION, Registry } from '@biaslab/core';
import { datasetsPlugin } from './index';

test('datasets plugin registers its components', () => {
  assert.equal(datasetsPlugin.apiVersion, API_VERSION);
  const registry = new Registry().use(datasetsPlugin);
  assert.deepEqual(
    registry.list('dataset').map((e) => e.key),
    [
      'dataset/cifar10',
      'dataset/csv',
      'dataset/digits',
      'dataset/fashion-mnist',
      'dataset/mnist',
      'dataset/npy',
      'dataset/one-point',
      'dataset/sparse-regression',
      'dataset/teacher-student',
    ],
  );
});

test('every dataset option has a description and every schema is strict', () => {
  for (const component of datasetsPlugin.components) {
    const schema = component.options as unknown as {
      shape: Record<string, { description?: string }>;
      safeParse(v: unknown): { success: boolean };
    };
    for (const [key, option] of Object.entries(schema.shape)) {
      assert.ok(
        option.description && option.description.length > 5,
        `option \`${key}\` of \`${component.name}\` has no description`,
      );
    }
    assert.equal(
      schema.safeParse({ noSuchOption: 1 }).success,
      false,
      `${component.name} accepts unknown keys`,
    );
    assert.ok(component.summary.length > 10 && (component.description ?? '').length > 20, component.name);
  }
});
