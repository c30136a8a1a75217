import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError, parseOptions, createModel } from '@biaslab/core';
import type { ModelContext } from '@biaslab/core';
import { mlpModel, mlpOptions } from './mlp';
import type { MlpOptions } from './mlp';

function context(seed: number, overrides: Partial<ModelContext> = {}): ModelContext {
  return {
    inputShape: [2, 5],
    outputSize: 3,
    task: 'classification',
    dtype: 'float64',
    rng: new Rng(seed),
    ...overrides,
  };
}

test('mlp options: defaults are two tanh layers of 200 with biases', () => {
  assert.deepEqual(parseOptions(mlpOptions, {}, 'model/mlp'), {
    widths: [200, 200],
    activation: 'tanh',
    bias: true,
    parametrization: 'standard',
  });
});

test('mlp options: unknown keys and wrong types are rejected', () => {
  const bad: unknown[] = [
    { width: [10] },
    { widths: 10 },
    { widths: [0] },
    { widths: [2.5] },
    { activation: 'swish' },
    { parametrization: 'sp' },
    { bias: 'yes' },
  ];
  for (const raw of bad) {
    assert.throws(
      () => parseOptions(mlpOptions, raw, 'model/mlp'),
      (e: unknown) => isBiaslabError(e, 'INVALID_OPTIONS'),
      `options ${JSON.stringify(raw)} should be rejected`,
    );
  }
});

test('mlp options: every option has a description', () => {
  for (const [key, schema] of Object.entries(mlpOptions.shape)) {
    assert.ok(schema.description && schema.description.length > 10, `option \`${key}\` has no description`);
  }
});

test('mlp layout follows PyTorch nn.Linear names and shapes', () => {
  const m = createModel(mlpModel, { widths: [4, 6], activation: 'relu', bias: true }, context(1));
  assert.deepEqual(
    m.layout.slots.map((s) => [s.name, s.shape]),
    [
      ['fc1.weight', [4, 10]],
      ['fc1.bias', [4]],
      ['fc2.weight', [6, 4]],
      ['fc2.bias', [6]],
      ['out.weight', [3, 6]],
      ['out.bias', [3]],
    ],
  );
  assert.equal(m.layout.size, 40 + 4 + 24 + 6 + 18 + 3);
  assert.equal(m.predictor, undefined);
  const noBias = createModel(mlpModel, { widths: [4, 6], activation: 'relu', bias: false }, context(1));
  assert.deepEqual(noBias.layout.names, ['fc1.weight', 'fc2.weight', 'out.weight']);
  const linear = createModel(mlpModel, { widths: [], activation: 'tanh', bias: true }, context(1));
  assert.deepEqual(linear.layout.names, ['out.weight', 'out.bias']);
  assert.deepEqual(linear.layout.slot('out.weight').shape, [3, 10]);
});

test('mlp init: U(−1/√fan_in, 1/√fan_in) per layer, with the uniform law’s mean and variance', () => {
  const seed = 11;
  const m = createModel(
    mlpModel,
    { widths: [300], activation: 'tanh', bias: true },
    context(seed, { inputShape: [784], outputSize: 10 }),
  );
  const fanIns: Record<string, number> = {
    'fc1.weight': 784,
    'fc1.bias': 784,
    'out.weight': 300,
    'out.bias': 300,
  };
  for (const slot of m.layout.slots) {
    const values = m.layout.view(m.init, slot.name);
    const bound = 1 / Math.sqrt(fanIns[slot.name]);
    let sum = 0;
    let sumSq = 0;
    for (const v of values) {
      assert.ok(Math.abs(v) <= bound, `${slot.name}: |${v}| > 1/√fan_in = ${bound} (seed ${seed})`);
      sum += v;
      sumSq += v * v;
    }
    assert.ok(new Set(values).size > values.length * 0.99, `${slot.name}: values repeat (seed ${seed})`);
    if (values.length >= 3000) {
      // U(−b, b): mean 0, variance b²/3; tolerances are ~5 standard errors.
      const n = values.length;
      const mean = sum / n;
      const variance = sumSq / n - mean * mean;
      assert.ok(Math.abs(mean) < (5 * bound) / Math.sqrt(3 * n), `${slot.name}: mean ${mean} (seed ${seed})`);
      assert.ok(
        Math.abs(variance / ((bound * bound) / 3) - 1) < 5 * Math.sqrt(0.8 / n),
        `${slot.name}: variance ${variance} vs ${(bound * bound) / 3} (seed ${seed})`,
      );
    }
  }
});

test('mlp init: same seed same θ₀, another seed another θ₀, one stream per layer', () => {
  const options: MlpOptions = { widths: [5], activation: 'tanh', bias: true };
  const a = createModel(mlpModel, options, context(3));
  const b = createModel(mlpModel, options, context(3));
  const c = createModel(mlpModel, options, context(4));
  assert.deepEqual(a.init, b.init);
  assert.notDeepEqual(a.init, c.init);
  // Adding a layer after fc1, or dropping biases, leaves fc1's weights unchanged.
  const deeper = createModel(mlpModel, { ...options, widths: [5, 7] }, context(3));
  assert.deepEqual(deeper.layout.view(deeper.init, 'fc1.weight'), a.layout.view(a.init, 'fc1.weight'));
  assert.deepEqual(deeper.layout.view(deeper.init, 'fc1.bias'), a.layout.view(a.init, 'fc1.bias'));
  const noBias = createModel(mlpModel, { ...options, bias: false }, context(3));
  assert.deepEqual(noBias.layout.view(noBias.init, 'fc1.weight'), a.layout.view(a.init, 'fc1.weight'));
  assert.deepEqual(noBias.layout.view(noBias.init, 'out.weight'), a.layout.view(a.init, 'out.weight'));
});

test('mlp graph: x [N, ...inputShape] flattened, parameters as inputs, output [N, outputSize]', () => {
  const m = createModel(
    mlpModel,
    { widths: [4], activation: 'relu', bias: true },
    context(1, { dtype: 'float32' }),
  );
  const g = m.graph;
  assert.deepEqual(g.inputs[0], { name: 'x', dtype: 'float32', shape: ['N', 2, 5] });
  assert.deepEqual(
    g.inputs.slice(1).map((i) => [i.name, i.shape]),
    m.layout.slots.map((s) => [s.name, s.shape]),
  );
  assert.deepEqual(
    g.outputs.map((o) => [o.name, o.dtype, o.shape]),
    [['prediction', 'float32', ['N', 3]]],
  );
  assert.deepEqual(
    g.nodes.map((n) => n.op),
    ['Reshape', 'Gemm', 'Relu', 'Gemm'],
  );
  for (const gemm of g.nodes.filter((n) => n.op === 'Gemm')) {
    assert.deepEqual(gemm.attributes.transB, { type: 'int', value: 1 });
    assert.equal(gemm.inputs.length, 3);
  }
  const flat = createModel(
    mlpModel,
    { widths: [4], activation: 'tanh', bias: false },
    context(1, { inputShape: [10] }),
  );
  assert.deepEqual(
    flat.graph.nodes.map((n) => n.op),
    ['Gemm', 'Tanh', 'Gemm'],
  );
  for (const gemm of flat.graph.nodes.filter((n) => n.op === 'Gemm')) assert.equal(gemm.inputs.length, 2);
});

test('mlp refuses an empty input shape', () => {
  assert.throws(
    () =>
      createModel(mlpModel, { widths: [4], activation: 'tanh', bias: true }, context(1, { inputShape: [] })),
    (e: unknown) => isBiaslabError(e, 'SHAPE'),
  );
});
