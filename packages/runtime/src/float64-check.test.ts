import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BiaslabError, Rng } from '@biaslab/core';
import { GraphBuilder, attr } from '@biaslab/onnx';
import { float64BlockedNodes } from './float64-check';
import { createObjective } from './objective';
import { mlpGraph, randomSplit, relErr } from './objective-fixtures';

const SEED = 20261204;

test(`a float64 objective over a model with \`Erf\` fails with DTYPE naming the op and node; float32 runs (seed ${SEED})`, async () => {
  const rng = new Rng(SEED);
  const model = mlpGraph(3, [4], 2, 'Erf');
  const data = randomSplit(rng, 5, 3, 2, false);
  await assert.rejects(
    createObjective({ model, loss: 'mse', data, dtype: 'float64' }),
    (e: unknown) =>
      e instanceof BiaslabError &&
      e.code === 'DTYPE' &&
      e.message.includes('`Erf`') &&
      e.message.includes('`fc1_act_node`') &&
      e.message.includes("dtype: 'float32'") &&
      e.details.node === 'fc1_act_node',
  );
  const objective = await createObjective({ model, loss: 'mse', data, dtype: 'float32' });
  try {
    const { loss } = await objective.grad(rng.normals(model.layout.size));
    assert.ok(Number.isFinite(loss));
  } finally {
    await objective.dispose();
  }
});

test(`Softplus (no float64 kernel at opset 17) is lowered: float64 loss, gradient and HVP agree with float32 (seed ${SEED})`, async () => {
  const rng = new Rng(SEED + 1);
  const model = mlpGraph(3, [4], 2, 'Softplus');
  const data = randomSplit(rng, 6, 3, 2, false);
  const theta = rng.normals(model.layout.size);
  const v = rng.normals(model.layout.size);
  const results = [];
  for (const dtype of ['float64', 'float32'] as const) {
    const objective = await createObjective({ model, loss: 'mse', data, dtype });
    try {
      results.push({ ...(await objective.grad(theta)), hv: await objective.hvp(theta, v) });
    } finally {
      await objective.dispose();
    }
  }
  const [f64, f32] = results;
  assert.ok(Math.abs(f64.loss - f32.loss) < 1e-5 * Math.abs(f64.loss), `${f64.loss} vs ${f32.loss}`);
  assert.ok(relErr(f32.grad, f64.grad) < 1e-4 && relErr(f32.hv, f64.hv) < 1e-4);
});

test('the float64 check follows opsets and attributes: Softplus runs at opset 18, Clip from 11, Gelu tanh form', () => {
  const graphWith = (op: string, opset: number, attributes = {}) => {
    const g = new GraphBuilder('one', opset);
    const x = g.addInput('x', 'float64', [2]);
    const inputs = op === 'Clip' && opset >= 11 ? [x, g.scalar(-1, 'float64'), g.scalar(1, 'float64')] : [x];
    g.addOutput(g.op(op, inputs, attributes), 'float64', [2]);
    return g.build();
  };
  assert.equal(float64BlockedNodes(graphWith('Softplus', 17)).length, 1);
  assert.equal(float64BlockedNodes(graphWith('Softplus', 18)).length, 0);
  assert.equal(
    float64BlockedNodes(graphWith('Clip', 6, { min: attr.float(-1), max: attr.float(1) })).length,
    1,
  );
  assert.equal(float64BlockedNodes(graphWith('Clip', 13)).length, 0);
  assert.equal(float64BlockedNodes(graphWith('Gelu', 20)).length, 1);
  assert.equal(float64BlockedNodes(graphWith('Gelu', 20, { approximate: attr.string('tanh') })).length, 0);
  assert.equal(float64BlockedNodes(graphWith('Tanh', 17)).length, 0);
});
