import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import type { ModelComponent } from '@biaslab/core';
import { supportedOps } from '@biaslab/autodiff';
import { modelsPlugin } from '@biaslab/models';

const CONFIGS: Record<string, { options: unknown[]; inputShape: number[]; outputSize: number }> = {
  dln: {
    options: [
      { parametrization: 'shared' },
      { parametrization: 'signed' },
      { parametrization: 'unshared' },
      { parametrization: 'shared', depth: 4 },
      { parametrization: 'unshared', depth: 3, initShape: 'unbalanced' },
    ],
    inputShape: [6],
    outputSize: 1,
  },
  mlp: {
    options: [
      { widths: [3, 4], activation: 'relu', bias: true },
      { widths: [3], activation: 'tanh', bias: false },
      ...['gelu', 'gelu-erf', 'elu', 'softplus', 'identity'].map((activation) => ({
        widths: [3],
        activation,
      })),
      { widths: [3, 3], parametrization: 'ntk' },
      { widths: [3, 3], parametrization: 'mup' },
    ],
    inputShape: [2, 3],
    outputSize: 2,
  },
  linear: { options: [{}, { bias: false, init: 'zero' }], inputShape: [2, 3], outputSize: 2 },
  cnn: {
    options: [
      { channels: [2, 2] },
      { channels: [2], batchNorm: true, pooling: 'avg', activation: 'gelu-erf' },
    ],
    inputShape: [1, 4, 4],
    outputSize: 2,
  },
  resnet: {
    options: [
      { width: 2, stages: 2 },
      { width: 2, stages: 2, batchNorm: false },
    ],
    inputShape: [3, 4, 4],
    outputSize: 2,
  },
  vit: {
    options: [
      { dim: 4, heads: 2, patchSize: 2 },
      { dim: 4, heads: 1, patchSize: 2, pool: 'mean' },
    ],
    inputShape: [4, 4],
    outputSize: 2,
  },
};

test('models plugin: every component is built from differentiable ops and names its parameters as inputs', () => {
  assert.equal(modelsPlugin.name, '@biaslab/models');
  const keys = modelsPlugin.components.map((c) => `${c.kind}/${c.name}`);
  for (const key of ['model/dln', 'model/linear', 'model/mlp', 'model/cnn', 'model/resnet', 'model/vit'])
    assert.ok(keys.includes(key), `${key} is not registered`);
  for (const component of modelsPlugin.components as ModelComponent[]) {
    const config = CONFIGS[component.name];
    if (!config) continue; // models built from files (not from options alone) are tested where they live
    for (const raw of config.options) {
      const options = component.options.parse(raw);
      const m = component.create(options, {
        inputShape: config.inputShape,
        outputSize: config.outputSize,
        task: 'regression',
        dtype: 'float64',
        rng: new Rng(0),
      });
      const where = `${component.name} ${JSON.stringify(raw)}`;
      // a built-in model may use only ops that have autodiff rules, so its graph can be differentiated
      const differentiable = new Set(supportedOps(m.graph.opset));
      for (const node of m.graph.nodes)
        assert.ok(differentiable.has(node.op), `${where}: op ${node.op} has no autodiff rule`);
      assert.deepEqual(
        m.graph.inputs.map((i) => i.name),
        ['x', ...m.layout.names],
        where,
      );
      assert.equal(m.init.length, m.layout.size, where);
      assert.ok(m.init.every(Number.isFinite), where);
      assert.deepEqual(m.graph.outputs[0].shape, ['N', config.outputSize], where);
    }
  }
});
