import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError, parseOptions, createModel } from '@biaslab/core';
import type { ModelContext } from '@biaslab/core';
import { linearModel, linearOptions } from './linear';

function context(overrides: Partial<ModelContext> = {}): ModelContext {
  return {
    inputShape: [2, 4],
    outputSize: 1,
    task: 'regression',
    dtype: 'float64',
    rng: new Rng(5),
    ...overrides,
  };
}

test('linear options: defaults, descriptions and rejections', () => {
  assert.deepEqual(parseOptions(linearOptions, {}, 'model/linear'), { bias: true, init: 'pytorch' });
  for (const [key, schema] of Object.entries(linearOptions.shape))
    assert.ok(schema.description && schema.description.length > 10, `option \`${key}\` has no description`);
  for (const raw of [{ init: 'xavier' }, { bias: 1 }, { widths: [] }])
    assert.throws(
      () => parseOptions(linearOptions, raw, 'model/linear'),
      (e: unknown) => isBiaslabError(e, 'INVALID_OPTIONS'),
    );
});

test('linear layout: `weight` [K, D] and `bias` [K] as nn.Linear; one Gemm after a flatten', () => {
  const m = createModel(linearModel, {}, context({ outputSize: 3 }));
  assert.deepEqual(
    m.layout.slots.map((s) => [s.name, s.shape]),
    [
      ['weight', [3, 8]],
      ['bias', [3]],
    ],
  );
  assert.deepEqual(
    m.graph.nodes.map((n) => n.op),
    ['Reshape', 'Gemm'],
  );
  assert.deepEqual(
    m.graph.outputs.map((o) => [o.name, o.shape]),
    [['prediction', ['N', 3]]],
  );
  assert.equal(m.predictor, undefined, 'β is defined only for one output');
  const noBias = createModel(linearModel, { bias: false }, context({ inputShape: [8] }));
  assert.deepEqual(noBias.layout.names, ['weight']);
  assert.deepEqual(
    noBias.graph.nodes.map((n) => n.op),
    ['Gemm'],
  );
});

test('linear init: U(−1/√D, 1/√D) or exactly zero; predictor is W for one output', () => {
  const seed = 9;
  const D = 400;
  const m = createModel(linearModel, {}, context({ inputShape: [D], rng: new Rng(seed) }));
  const bound = 1 / Math.sqrt(D);
  const w = m.layout.view(m.init, 'weight');
  assert.ok(
    w.every((v) => Math.abs(v) <= bound),
    `|W| > 1/√D (seed ${seed})`,
  );
  const ms = w.reduce((a, v) => a + v * v, 0) / D;
  // U(−b, b) has variance b²/3; 400 draws: relative sd of the mean square ≈ √(0.8/400) ≈ 0.045
  assert.ok(Math.abs(ms / ((bound * bound) / 3) - 1) < 0.25, `mean square ${ms} (seed ${seed})`);
  assert.deepEqual(m.predictor!(m.init), Float64Array.from(w));
  const zero = createModel(linearModel, { init: 'zero' }, context());
  assert.ok(zero.init.every((v) => v === 0));
});

test('linear refuses an empty input shape', () => {
  assert.throws(
    () => createModel(linearModel, {}, context({ inputShape: [] })),
    (e: unknown) => isBiaslabError(e, 'SHAPE'),
  );
});
