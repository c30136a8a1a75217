import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, createMetricMemory, floatTensor } from '@biaslab/core';
import type { Dataset, MetricContext } from '@biaslab/core';
import { symmetricFromSpectrum } from '@biaslab/linalg';
import { testAccuracyMetric, trainAccuracyMetric } from './accuracy';
import { distanceMetric } from './distance';
import { generalizationGapMetric } from './generalization-gap';
import { flatContext, runMetric } from './metric-fixtures';
import { quadraticOracle } from './quadratic-oracle';
import { sharpnessMetric } from './sharpness';
import { stabilityMetric } from './stability';

// Three classes; train: 4 samples with labels, test: 3 samples with one-hot targets only.
const trainOutputs = [
  [2, 1, 0], //  → 0, label 0 ✓
  [0, 0.5, 0.2], // → 1, label 2 ✗
  [1, 1, 0], // tie → first max 0, label 1 ✗
  [-1, -2, -0.5], // → 2, label 2 ✓
];
const testOutputs = [
  [0, 3, 1], // → 1, target 1 ✓
  [Number.NaN, 0, 0], // non-finite → wrong
  [5, 0, 0], // → 0, target 0 ✓
];

function classification(withTest = true): Dataset {
  const x = (n: number) => floatTensor('float64', [n, 2], new Float64Array(2 * n));
  const oneHot = (labels: number[]) =>
    floatTensor(
      'float64',
      [labels.length, 3],
      labels.flatMap((l) => [0, 1, 2].map((c) => (c === l ? 1 : 0))),
    );
  return {
    task: 'classification',
    inputShape: [2],
    outputSize: 3,
    train: { x: x(4), y: oneHot([0, 2, 1, 2]), labels: Int32Array.of(0, 2, 1, 2) },
    ...(withTest ? { test: { x: x(3), y: oneHot([1, 2, 0]) } } : {}),
    provenance: 'fixture',
  };
}

function context(overrides: Partial<MetricContext> = {}): MetricContext {
  const theta = Float64Array.of(1, 2);
  return flatContext(theta, quadraticOracle(Float64Array.of(2, 0, 0, 4)), {
    dataset: classification(),
    predict: async (_t, split) => Float64Array.from((split === 'train' ? trainOutputs : testOutputs).flat()),
    testLoss: async () => 10,
    ...overrides,
  });
}

test('train/test accuracy: arg max of the predictions against hand-computed labels', async () => {
  assert.deepEqual(await runMetric(trainAccuracyMetric, context()), { 'train-accuracy': 0.5 });
  // Test labels come from the one-hot targets (1, 2, 0); the NaN row counts as wrong.
  assert.deepEqual(await runMetric(testAccuracyMetric, context()), { 'test-accuracy': 2 / 3 });
  const diverged = await runMetric(trainAccuracyMetric, context({ theta: Float64Array.of(Number.NaN, 0) }));
  assert.ok(Number.isNaN(diverged['train-accuracy']));
});

test('accuracy errors: no predictions, regression data, no test split, wrong prediction size', async () => {
  await assert.rejects(
    runMetric(trainAccuracyMetric, context({ predict: undefined })),
    (e: Error & { code?: string }) => {
      assert.equal(e.code, 'INVALID_CONFIG');
      assert.match(e.message, /predict/);
      return true;
    },
  );
  const regression = { ...classification(), task: 'regression' as const };
  await assert.rejects(runMetric(trainAccuracyMetric, context({ dataset: regression })), {
    code: 'INVALID_CONFIG',
  });
  await assert.rejects(runMetric(testAccuracyMetric, context({ dataset: classification(false) })), {
    code: 'DATA',
  });
  await assert.rejects(
    runMetric(trainAccuracyMetric, context({ predict: async () => new Float64Array(5) })),
    { code: 'SHAPE' },
  );
});

test('generalization-gap is test loss − train loss', async () => {
  // L(θ) = ½ θᵀ diag(2, 4) θ at θ = (1, 2): 1 + 8 = 9.
  assert.deepEqual(await runMetric(generalizationGapMetric, context()), {
    'generalization-gap': 1,
    'generalization-gap.train-loss': 9,
    'generalization-gap.test-loss': 10,
  });
  await assert.rejects(runMetric(generalizationGapMetric, context({ testLoss: undefined })), {
    code: 'DATA',
  });
});

test('distance to θ at the first evaluation, to θ₀, or to a given vector', async () => {
  const memory = createMetricMemory();
  const first = await runMetric(distanceMetric, context({ memory }));
  assert.deepEqual(first, { distance: 0, 'distance.relative': 0 });
  const later = await runMetric(distanceMetric, context({ memory, theta: Float64Array.of(4, 6) }));
  assert.deepEqual(later, { distance: 5, 'distance.relative': 5 / Math.sqrt(5) });
  const base = context();
  const init = await runMetric(
    distanceMetric,
    { ...base, theta: Float64Array.of(1, 5), model: { ...base.model, init: Float64Array.of(1, 1) } },
    { reference: 'init' },
  );
  assert.equal(init.distance, 4);
  const given = await runMetric(distanceMetric, context(), { reference: [0, 0] });
  assert.deepEqual(given, { distance: Math.sqrt(5), 'distance.relative': Number.NaN });
  await assert.rejects(runMetric(distanceMetric, context(), { reference: [0] }), { code: 'SHAPE' });
  await assert.rejects(runMetric(distanceMetric, context(), { reference: 'origin' }), {
    code: 'INVALID_OPTIONS',
  });
});

test('stability = S·η/2, reusing the sharpness of the same step and θ without HVPs', async () => {
  const seed = 5001;
  const n = 30;
  const oracle = quadraticOracle(
    symmetricFromSpectrum([8, ...Array.from({ length: n - 1 }, (_, i) => Math.cos(i))], new Rng(seed)).matrix,
  );
  const ctx = flatContext(new Rng(seed).normals(n), oracle, { eta: 0.3 });
  const alone = await runMetric(stabilityMetric, ctx);
  assert.ok(Math.abs(alone.stability - 1.2) < 1e-10, `seed ${seed}: ${alone.stability}`);
  assert.equal(alone['stability.reused'], 0);
  assert.equal(alone['stability.hvps'], n + 1);
  const memory = createMetricMemory();
  const s = await runMetric(sharpnessMetric, { ...ctx, memory, step: 4 });
  const before = oracle.hvps();
  const reused = await runMetric(stabilityMetric, { ...ctx, memory, step: 4 });
  assert.equal(oracle.hvps(), before, 'no HVP when reusing');
  assert.deepEqual(reused, {
    stability: (s.sharpness * 0.3) / 2,
    'stability.sharpness': s.sharpness,
    'stability.hvps': 0,
    'stability.reused': 1,
  });
  // A different step (or θ) is not reused.
  const next = await runMetric(stabilityMetric, { ...ctx, memory, step: 5 });
  assert.equal(next['stability.reused'], 0);
  const noReuse = await runMetric(
    stabilityMetric,
    { ...ctx, memory, step: 5 },
    { reuse: false, method: 'power' },
  );
  assert.ok(Math.abs(noReuse.stability - 1.2) <= 0.3 * 1e-5, `power: ${noReuse.stability}`);
});
