import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError, parseOptions, createModel } from '@biaslab/core';
import type { ModelContext } from '@biaslab/core';
import { dlnModel, dlnOptions } from './dln';

function context(d: number, overrides: Partial<ModelContext> = {}): ModelContext {
  return {
    inputShape: [d],
    outputSize: 1,
    task: 'regression',
    dtype: 'float64',
    rng: new Rng(1),
    ...overrides,
  };
}

test('dln options: defaults are shared weights with α = 0.1 at depth 2', () => {
  const defaults = { parametrization: 'shared', alpha: 0.1, depth: 2, ratio: 2 };
  assert.deepEqual(parseOptions(dlnOptions, {}, 'model/dln'), defaults);
  assert.deepEqual(parseOptions(dlnOptions, undefined, 'model/dln'), defaults);
});

test('dln options: unknown keys, wrong types and α ≤ 0 are rejected', () => {
  const bad: unknown[] = [
    { alpah: 0.1 },
    { alpha: 'abc' },
    { alpha: 0 },
    { alpha: -1 },
    { parametrization: 'diagonal' },
    { parametrization: 3 },
    { depth: 1 },
    { depth: 2.5 },
    { initShape: 'skewed' },
    { ratio: 0 },
  ];
  for (const raw of bad) {
    assert.throws(
      () => parseOptions(dlnOptions, raw, 'model/dln'),
      (e: unknown) => isBiaslabError(e, 'INVALID_OPTIONS'),
      `options ${JSON.stringify(raw)} should be rejected`,
    );
  }
  assert.match(
    (() => {
      try {
        parseOptions(dlnOptions, { alpah: 0.1 }, 'model/dln');
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })(),
    /unknown option `alpah`/,
  );
});

test('dln options: every option has a description', () => {
  for (const [key, schema] of Object.entries(dlnOptions.shape)) {
    assert.ok(schema.description && schema.description.length > 10, `option \`${key}\` has no description`);
  }
});

test('dln layout and initial values for every parametrisation', () => {
  const d = 4;
  const alpha = 0.3;
  const cases = [
    { parametrization: 'shared', names: ['w'], init: [[alpha]], beta0: alpha * alpha },
    { parametrization: 'signed', names: ['u', 'v'], init: [[alpha], [alpha]], beta0: 0 },
    { parametrization: 'unshared', names: ['u', 'v'], init: [[Math.SQRT2 * alpha], [0]], beta0: 0 },
  ] as const;
  for (const c of cases) {
    const m = createModel(
      dlnModel,
      parseOptions(dlnOptions, { parametrization: c.parametrization, alpha }, 'model/dln'),
      context(d),
    );
    assert.deepEqual(m.layout.names, c.names, c.parametrization);
    for (const slot of m.layout.slots) {
      assert.deepEqual(slot.shape, [d]);
      assert.equal(slot.trainable, true);
    }
    assert.equal(m.init.length, c.names.length * d);
    c.names.forEach((name, i) => {
      for (const value of m.layout.view(m.init, name))
        assert.equal(value, c.init[i][0], `${c.parametrization} ${name}₀`);
    });
    for (const b of m.predictor!(m.init))
      assert.ok(Math.abs(b - c.beta0) < 1e-15, `${c.parametrization} β₀ = ${b}`);
  }
});

test('dln predictor computes β from θ without touching θ', () => {
  const seed = 7;
  const rng = new Rng(seed);
  const d = 5;
  for (const parametrization of ['shared', 'signed', 'unshared'] as const) {
    const m = createModel(dlnModel, { parametrization, alpha: 0.1, depth: 2 }, context(d));
    const theta = rng.normals(m.layout.size);
    const copy = Float64Array.from(theta);
    const beta = m.predictor!(theta);
    assert.deepEqual(theta, copy, 'predictor mutated θ');
    for (let i = 0; i < d; i++) {
      const expected =
        parametrization === 'shared'
          ? theta[i] ** 2
          : parametrization === 'signed'
            ? theta[i] ** 2 - theta[d + i] ** 2
            : theta[i] * theta[d + i];
      assert.ok(
        Math.abs(beta[i] - expected) < 1e-15,
        `${parametrization} β[${i}] = ${beta[i]}, expected ${expected} (seed ${seed})`,
      );
    }
  }
});

test('dln graph: inputs x [N, d] and the parameters, output [N, 1]', () => {
  for (const parametrization of ['shared', 'signed', 'unshared'] as const) {
    for (const dtype of ['float64', 'float32'] as const) {
      const m = createModel(dlnModel, { parametrization, alpha: 0.1, depth: 2 }, context(3, { dtype }));
      const g = m.graph;
      assert.equal(g.opset, 17);
      assert.deepEqual(g.inputs[0], { name: 'x', dtype, shape: ['N', 3] });
      assert.deepEqual(
        g.inputs.slice(1).map((i) => [i.name, i.dtype, i.shape]),
        m.layout.slots.map((s) => [s.name, dtype, [3]]),
      );
      assert.equal(g.outputs.length, 1);
      assert.deepEqual(g.outputs[0].shape, ['N', 1]);
      assert.equal(g.outputs[0].dtype, dtype);
      assert.equal(g.nodes.at(-1)!.op, 'MatMul');
    }
  }
});

test('dln refuses inputs that are not vectors and more than one output', () => {
  const options = parseOptions(dlnOptions, {}, 'model/dln');
  assert.throws(
    () => createModel(dlnModel, options, context(0, { inputShape: [2, 3] })),
    (e: unknown) =>
      isBiaslabError(e, 'SHAPE') &&
      /\[d\]/.test((e as Error).message) &&
      /\[2, 3\]/.test((e as Error).message),
  );
  assert.throws(
    () => createModel(dlnModel, options, context(3, { outputSize: 2 })),
    (e: unknown) => isBiaslabError(e, 'SHAPE'),
  );
  assert.throws(
    () => createModel(dlnModel, options, context(0)),
    (e: unknown) => isBiaslabError(e, 'SHAPE'),
  );
});

test('dln depth L: parameter names, initial values and β₀ for every parametrisation and init shape', () => {
  const d = 3;
  const alpha = 0.6;
  const s = 1.7;
  const cases = [
    { options: { parametrization: 'shared', depth: 3 }, names: ['w'], init: [alpha], beta0: alpha ** 3 },
    { options: { parametrization: 'signed', depth: 4 }, names: ['u', 'v'], init: [alpha, alpha], beta0: 0 },
    {
      options: { parametrization: 'unshared', depth: 2, initShape: 'balanced' },
      names: ['u', 'v'],
      init: [alpha, alpha],
      beta0: alpha ** 2,
    },
    {
      options: { parametrization: 'unshared', depth: 2, initShape: 'unbalanced', ratio: s },
      names: ['u', 'v'],
      init: [alpha * s, alpha / s],
      beta0: alpha ** 2,
    },
    {
      options: { parametrization: 'unshared', depth: 3 },
      names: ['u1', 'u2', 'u3'],
      init: [alpha, alpha, alpha],
      beta0: alpha ** 3,
    },
    {
      options: { parametrization: 'unshared', depth: 4, initShape: 'unbalanced', ratio: s },
      names: ['u1', 'u2', 'u3', 'u4'],
      init: [alpha * s, alpha, alpha, alpha / s],
      beta0: alpha ** 4,
    },
    {
      options: { parametrization: 'unshared', depth: 2, initShape: 'zero-beta' },
      names: ['u', 'v'],
      init: [Math.SQRT2 * alpha, 0],
      beta0: 0,
    },
  ] as const;
  for (const c of cases) {
    const where = JSON.stringify(c.options);
    const m = createModel(dlnModel, { ...c.options, alpha }, context(d));
    assert.deepEqual(m.layout.names, c.names, where);
    c.names.forEach((name, i) => {
      for (const value of m.layout.view(m.init, name))
        assert.ok(Math.abs(value - c.init[i]) < 1e-15, `${where} ${name}₀ = ${value}`);
    });
    for (const b of m.predictor!(m.init))
      assert.ok(Math.abs(b - c.beta0) < 1e-14, `${where} β₀ = ${b}, expected ${c.beta0}`);
  }
});

test('dln init shapes that do not exist for a parametrisation are refused with a fix', () => {
  const bad = [
    { parametrization: 'shared', initShape: 'unbalanced' },
    { parametrization: 'signed', initShape: 'zero-beta' },
    { parametrization: 'unshared', depth: 3, initShape: 'zero-beta' },
  ] as const;
  for (const options of bad) {
    assert.throws(
      () => createModel(dlnModel, options, context(3)),
      (e: unknown) =>
        isBiaslabError(e, 'INVALID_OPTIONS') &&
        /initShape/.test((e as Error).message) &&
        /Use `initShape: balanced`/.test((e as Error).message),
      JSON.stringify(options),
    );
  }
});

test('dln create fills defaults when called without parseOptions (backward compatible call shape)', () => {
  const m = createModel(dlnModel, { parametrization: 'unshared', alpha: 0.2 }, context(2));
  assert.deepEqual(m.layout.names, ['u', 'v']);
  assert.deepEqual(Array.from(m.init), [Math.SQRT2 * 0.2, Math.SQRT2 * 0.2, 0, 0]);
});
