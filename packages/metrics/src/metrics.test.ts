import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParamLayout, Registry, Rng, createMetricMemory, floatTensor, parseOptions } from '@biaslab/core';
import type { Dataset, MetricComponent, MetricContext, ModelInstance, Oracle } from '@biaslab/core';
import { symmetricFromSpectrum } from '@biaslab/linalg';
import {
  betaL1Metric,
  l1Metric,
  l2Metric,
  metricsPlugin,
  SHARPNESS_MEMORY_KEY,
  sharpnessMetric,
  testErrorMetric,
  testLossMetric,
  trainLossMetric,
} from './index';
import { quadraticOracle } from './quadratic-oracle';

// Layout: w (3, trained), fc.bias (2, trained), scale (1, frozen). The predictor is β = w ⊙ w.
const layout = new ParamLayout([
  { name: 'w', shape: [3] },
  { name: 'fc.bias', shape: [2] },
  { name: 'scale', shape: [1], trainable: false },
]);
const theta = Float64Array.from([1.5, -2, 0.25, -0.5, 3, 100]);
const betaStar = Float64Array.from([1, 4, 0]);

function dataset(withBetaStar: boolean, withTest = true): Dataset {
  const split = { x: floatTensor('float64', [1, 3], [1, 2, 3]), y: floatTensor('float64', [1, 1], [1]) };
  return {
    task: 'regression',
    inputShape: [3],
    outputSize: 1,
    train: split,
    ...(withTest ? { test: split } : {}),
    provenance: 'test fixture',
    ...(withBetaStar ? { betaStar } : {}),
  };
}

function model(withPredictor: boolean): ModelInstance {
  const graph = { name: 'fake', opset: 17, nodes: [], inputs: [], outputs: [], initializers: [] };
  const instance: ModelInstance = { graph, layout, init: theta };
  if (withPredictor) instance.predictor = (t) => Float64Array.from(layout.view(t, 'w'), (w) => w * w);
  return instance;
}

function context(overrides: Partial<MetricContext> = {}): MetricContext {
  const a = new Float64Array(36);
  for (let i = 0; i < 6; i++) a[i * 6 + i] = i + 1;
  return {
    theta,
    layout,
    model: model(true),
    dataset: dataset(true),
    train: quadraticOracle(a),
    testLoss: async (t) => 10 * t[0],
    eta: 0.1,
    step: 0,
    rng: new Rng(1),
    memory: createMetricMemory(),
    ...overrides,
  };
}

async function run(component: MetricComponent, ctx: MetricContext, raw: unknown = {}) {
  const options = parseOptions(component.options, raw, `metric/${component.name}`);
  return component.create(options).compute(ctx);
}

test('l1 and l2 cover the trained parameters, with and without biases', async () => {
  // Trained: 1.5, −2, 0.25 (w) and −0.5, 3 (fc.bias); the frozen 100 never counts.
  assert.deepEqual(await run(l1Metric, context()), { l1: 1.5 + 2 + 0.25 + 0.5 + 3 });
  assert.deepEqual(await run(l1Metric, context(), { biases: false }), { l1: 1.5 + 2 + 0.25 });
  const l2 = (await run(l2Metric, context())).l2;
  assert.ok(Math.abs(l2 - Math.sqrt(1.5 ** 2 + 4 + 0.0625 + 0.25 + 9)) < 1e-15, `l2 = ${l2}`);
  const l2w = (await run(l2Metric, context(), { biases: false })).l2;
  assert.ok(Math.abs(l2w - Math.sqrt(1.5 ** 2 + 4 + 0.0625)) < 1e-15, `l2 = ${l2w}`);
  // No overflow for huge entries.
  const huge = new ParamLayout([{ name: 'w', shape: [2] }]);
  const big = (await run(l2Metric, context({ layout: huge, theta: Float64Array.from([3e300, 4e300]) }))).l2;
  assert.ok(Math.abs(big / 5e300 - 1) < 1e-15, `l2 = ${big}`);
  await assert.rejects(run(l1Metric, context(), { bias: true }), { code: 'INVALID_OPTIONS' });
});

test('beta-l1 is ‖w⊙w‖₁ for a predictor model and a clear error without one', async () => {
  assert.deepEqual(await run(betaL1Metric, context()), { 'beta-l1': 2.25 + 4 + 0.0625 });
  await assert.rejects(
    run(betaL1Metric, context({ model: model(false) })),
    (error: Error & { code?: string }) => {
      assert.equal(error.name, 'BiaslabError');
      assert.equal(error.code, 'INVALID_CONFIG');
      assert.match(error.message, /`metric\/beta-l1`.*predictor/);
      return true;
    },
  );
});

test('train-loss, test-loss and test-error read the objective, the test split and β*', async () => {
  // L = ½ Σ (i+1) θᵢ²
  const expected = 0.5 * [...theta].reduce((s, t, i) => s + (i + 1) * t * t, 0);
  assert.deepEqual(await run(trainLossMetric, context()), { 'train-loss': expected });
  assert.deepEqual(await run(testLossMetric, context()), { 'test-loss': 15 });
  await assert.rejects(
    run(testLossMetric, context({ testLoss: undefined, dataset: dataset(false, false) })),
    {
      name: 'BiaslabError',
      code: 'DATA',
    },
  );
  // ‖β − β*‖² with β = (2.25, 4, 0.0625), β* = (1, 4, 0).
  assert.deepEqual(await run(testErrorMetric, context()), { 'test-error': 1.25 ** 2 + 0.0625 ** 2 });
  assert.deepEqual(await run(testErrorMetric, context({ dataset: dataset(false) })), { 'test-error': 15 });
  assert.deepEqual(await run(testErrorMetric, context({ model: model(false) })), { 'test-error': 15 });
  await assert.rejects(
    run(testErrorMetric, context({ dataset: dataset(false, false), testLoss: undefined })),
    { code: 'DATA' },
  );
});

/** A quadratic oracle of order `n` with the given spectrum on its first coordinates. */
function spectralOracle(spectrum: number[], seed: number): Oracle & { hvps(): number } {
  return quadraticOracle(symmetricFromSpectrum(spectrum, new Rng(seed)).matrix);
}

for (const method of ['auto', 'dense', 'lanczos'] as const) {
  test(`sharpness (${method}) finds a negative dominant eigenvalue, its residual and S·η/2`, async () => {
    const seed = 55;
    const n = 20;
    const spectrum = [-6, ...Array.from({ length: n - 1 }, (_, i) => 5 * Math.sin(i + 1))];
    const flat = new ParamLayout([{ name: 'w', shape: [n] }]);
    const train = spectralOracle(spectrum, seed);
    const ctx = context({ layout: flat, theta: new Rng(seed).normals(n), train, eta: 0.3 });
    const out = await run(sharpnessMetric, ctx, { method });
    assert.ok(Math.abs(out.sharpness - 6) < 1e-9, `seed ${seed}: S = ${out.sharpness}`);
    assert.ok(Math.abs(out['sharpness.lambda'] + 6) < 1e-9, `seed ${seed}: λ = ${out['sharpness.lambda']}`);
    assert.ok(out['sharpness.residual'] < 1e-8, `seed ${seed}: residual ${out['sharpness.residual']}`);
    assert.equal(out['sharpness.hvps'], train.hvps(), `seed ${seed}: HVP count`);
    if (method !== 'lanczos') assert.equal(out['sharpness.hvps'], n + 1);
    assert.ok(out['sharpness.hvps'] <= n + 1);
    assert.equal(out['sharpness.converged'], 1);
    assert.ok(Math.abs(out['sharpness.stability'] - (out.sharpness * 0.3) / 2) < 1e-15);
    const saved = ctx.memory.get(SHARPNESS_MEMORY_KEY)!;
    assert.ok(Array.isArray(saved) && saved[0] instanceof Float64Array && saved[0].length === n);
  });
}

test('sharpness with Lanczos on P = 300 matches the known spectrum and warm-starts from memory', async () => {
  const seed = 808;
  const n = 300;
  const rng = new Rng(seed);
  const spectrum = [40, ...Array.from({ length: n - 1 }, () => rng.uniformIn(-10, 30))];
  const flat = new ParamLayout([{ name: 'w', shape: [n] }]);
  const train = spectralOracle(spectrum, seed);
  const ctx = context({ layout: flat, theta: new Float64Array(n), train, eta: 0.05 });
  const first = await run(sharpnessMetric, ctx);
  assert.ok(Math.abs(first.sharpness - 40) <= 1e-8 * 40, `seed ${seed}: S = ${first.sharpness}`);
  assert.ok(first['sharpness.residual'] <= 1e-7, `seed ${seed}: residual ${first['sharpness.residual']}`);
  assert.ok(Math.abs(first['sharpness.stability'] - 1) < 1e-9, `stability ${first['sharpness.stability']}`);
  const second = await run(sharpnessMetric, { ...ctx, step: 1 });
  assert.ok(Math.abs(second.sharpness - 40) <= 1e-8 * 40, `seed ${seed}: warm S = ${second.sharpness}`);
  assert.ok(
    second['sharpness.hvps'] < first['sharpness.hvps'],
    `seed ${seed}: warm ${second['sharpness.hvps']} vs cold ${first['sharpness.hvps']}`,
  );
  const cold = await run(sharpnessMetric, { ...ctx, step: 1 }, { warmStart: false });
  assert.ok(
    cold['sharpness.hvps'] > second['sharpness.hvps'],
    `seed ${seed}: warmStart: false ignores memory`,
  );
});

test('sharpness ignores frozen parameters (the Hessian over trained coordinates only)', async () => {
  // Coordinate 5 ('scale', frozen) has curvature 1000; the trained block's top eigenvalue is 5.
  const a = new Float64Array(36);
  for (let i = 0; i < 6; i++) a[i * 6 + i] = i + 1;
  a[5 * 6 + 5] = 1000;
  a[0 * 6 + 5] = a[5 * 6 + 0] = 3;
  for (const method of ['dense', 'lanczos'] as const) {
    const train = quadraticOracle(a);
    const out = await run(sharpnessMetric, context({ train }), { method });
    assert.ok(Math.abs(out.sharpness - 5) < 1e-10, `${method}: S = ${out.sharpness}`);
    if (method === 'dense') assert.equal(out['sharpness.hvps'], 6, 'dense: 5 columns + the residual');
    assert.ok(out['sharpness.residual'] < 1e-9, `${method}: residual ${out['sharpness.residual']}`);
  }
});

test('sharpness of a diverged θ is NaN and costs no HVP', async () => {
  const train = quadraticOracle(new Float64Array(36));
  const out = await run(
    sharpnessMetric,
    context({ train, theta: Float64Array.from([1, Number.NaN, 0, 0, 0, 0]) }),
  );
  assert.ok(Number.isNaN(out.sharpness) && Number.isNaN(out['sharpness.stability']));
  assert.equal(train.hvps(), 0);
});

test('sharpness options have defaults, descriptions and reject unknown keys', () => {
  const options = parseOptions(sharpnessMetric.options, {}, 'metric/sharpness');
  assert.deepEqual(options, { method: 'auto', k: 1, warmStart: true, residual: 'exact', bothEnds: true });
  assert.throws(() => parseOptions(sharpnessMetric.options, { method: 'arnoldi' }, 'metric/sharpness'), {
    code: 'INVALID_OPTIONS',
  });
  assert.throws(() => parseOptions(sharpnessMetric.options, { maxiter: 5 }, 'metric/sharpness'), {
    code: 'INVALID_OPTIONS',
  });
});

test('metricsPlugin registers every metric with a described, strict option schema', () => {
  const registry = new Registry().use(metricsPlugin);
  const names = registry.list('metric').map((e) => e.component.name);
  assert.deepEqual(names, [
    'adaptive-sharpness',
    'averaged-norms',
    'beta-l1',
    'distance',
    'effective-sharpness',
    'generalization-gap',
    'ggn-sharpness',
    'l1',
    'l2',
    'layer-norms',
    'predictor-norms',
    'sharpness',
    'spectrum',
    'stability',
    'test-accuracy',
    'test-error',
    'test-loss',
    'trace',
    'train-accuracy',
    'train-loss',
  ]);
  for (const { component } of registry.list('metric')) {
    const shape = (component.options as unknown as { shape: Record<string, { description?: string }> }).shape;
    for (const [key, schema] of Object.entries(shape)) {
      assert.ok(schema.description, `metric/${component.name} option \`${key}\` has no description`);
    }
    assert.throws(() => parseOptions(component.options, { nope: 1 }, `metric/${component.name}`), {
      code: 'INVALID_OPTIONS',
    });
  }
});
