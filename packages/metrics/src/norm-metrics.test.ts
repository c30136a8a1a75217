import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParamLayout, Rng, createMetricMemory, parseOptions } from '@biaslab/core';
import type { MetricContext, MetricMemory, ModelInstance } from '@biaslab/core';
import { averagedNormsMemoryKey, averagedNormsMetric } from './averaged-norms';
import { layerNormsMetric } from './layer-norms';
import { flatContext, runMetric } from './metric-fixtures';
import { predictorNormsMetric } from './predictor-norms';
import { quadraticOracle } from './quadratic-oracle';

const layout = new ParamLayout([
  { name: 'fc1.weight', shape: [2, 2] },
  { name: 'fc1.bias', shape: [2] },
  { name: 'frozen', shape: [1], trainable: false },
  { name: 'fc2.weight', shape: [1, 2] },
]);
const theta = Float64Array.from([1, -2, 3, -4, 0.5, -0.5, 99, 3, 4]);

function context(overrides: Partial<MetricContext> = {}): MetricContext {
  return flatContext(theta, quadraticOracle(new Float64Array(81)), { layout, ...overrides });
}

test('layer-norms: one ℓ1 and ℓ2 key per trained slot, frozen slots skipped, biases optional', async () => {
  const out = await runMetric(layerNormsMetric, context());
  assert.deepEqual(out, {
    'layer-norms.fc1.weight.l1': 10,
    'layer-norms.fc1.weight.l2': Math.sqrt(30),
    'layer-norms.fc1.bias.l1': 1,
    'layer-norms.fc1.bias.l2': Math.sqrt(0.5),
    'layer-norms.fc2.weight.l1': 7,
    'layer-norms.fc2.weight.l2': 5,
  });
  const noBias = await runMetric(layerNormsMetric, context(), { biases: false });
  assert.deepEqual(Object.keys(noBias), [
    'layer-norms.fc1.weight.l1',
    'layer-norms.fc1.weight.l2',
    'layer-norms.fc2.weight.l1',
    'layer-norms.fc2.weight.l2',
  ]);
});

test('predictor-norms: ‖β‖₁, ‖β‖₂, ‖β‖_∞ of the model’s predictor; a clear error without one', async () => {
  const base = context();
  // A two-layer linear network's end-to-end predictor β = W₂W₁ (1 × 2), computed by the fixture model.
  const model: ModelInstance = {
    ...base.model,
    predictor: (t) => {
      const w1 = layout.view(t, 'fc1.weight');
      const w2 = layout.view(t, 'fc2.weight');
      return Float64Array.of(w2[0] * w1[0] + w2[1] * w1[2], w2[0] * w1[1] + w2[1] * w1[3]);
    },
  };
  // β = (3·1 + 4·3, 3·(−2) + 4·(−4)) = (15, −22)
  const out = await runMetric(predictorNormsMetric, context({ model }));
  assert.deepEqual(out, {
    'predictor-norms.l1': 37,
    'predictor-norms.l2': Math.hypot(15, 22),
    'predictor-norms.linf': 22,
  });
  await assert.rejects(runMetric(predictorNormsMetric, base), { code: 'INVALID_CONFIG' });
});

test('averaged-norms: ℓ1/ℓ2 of the mean of the last k observed iterates, as a ring buffer', async () => {
  const seed = 4001;
  const rng = new Rng(seed);
  const n = 6;
  const flat = new ParamLayout([{ name: 'w', shape: [n] }]);
  const zero = quadraticOracle(new Float64Array(n * n));
  const at = (t: Float64Array, memory?: MetricMemory) =>
    flatContext(t, zero, { layout: flat, ...(memory ? { memory } : {}) });
  const metric = averagedNormsMetric.create(
    parseOptions(averagedNormsMetric.options, { k: 3 }, 'metric/averaged-norms'),
  );
  const memory = createMetricMemory();
  const iterates: Float64Array[] = [];
  for (let step = 0; step < 7; step++) {
    const t = rng.normals(n);
    iterates.push(Float64Array.from(t));
    metric.observe?.({ theta: t, step, eta: 0.1, memory });
    t.fill(1000); // the metric must have copied θ
  }
  const meanOf = (vs: Float64Array[]) =>
    Array.from({ length: n }, (_, i) => vs.reduce((s, v) => s + v[i], 0) / vs.length);
  const current = iterates[6];
  const out = await metric.compute(at(Float64Array.from(current), memory));
  const mean = meanOf(iterates.slice(4));
  const l1 = mean.reduce((s, x) => s + Math.abs(x), 0);
  assert.ok(
    Math.abs(out['averaged-norms.l1'] - l1) < 1e-14,
    `seed ${seed}: ${out['averaged-norms.l1']} vs ${l1}`,
  );
  assert.ok(Math.abs(out['averaged-norms.l2'] - Math.hypot(...mean)) < 1e-14, `seed ${seed}`);
  assert.equal(out['averaged-norms.count'], 3);
  const deviation = Math.hypot(...mean.map((m, i) => current[i] - m));
  assert.ok(Math.abs(out['averaged-norms.deviation'] - deviation) < 1e-14);
  assert.equal(memory.get(averagedNormsMemoryKey(3))!.iterates.length, 3, 'k copies kept');
  // A θ newer than the last observation counts as the newest iterate and displaces the oldest.
  const newer = rng.normals(n);
  const withNewer = await metric.compute(at(newer, memory));
  const mean2 = meanOf([iterates[5], iterates[6], newer]);
  assert.equal(withNewer['averaged-norms.count'], 3);
  assert.ok(
    Math.abs(withNewer['averaged-norms.l2'] - Math.hypot(...mean2)) < 1e-14,
    `seed ${seed}: newest θ counted`,
  );
  // Before any observation the average is θ itself.
  const fresh = await runMetric(averagedNormsMetric, at(newer));
  assert.equal(fresh['averaged-norms.count'], 1);
  assert.equal(fresh['averaged-norms.deviation'], 0);
  assert.ok(Math.abs(fresh['averaged-norms.l2'] - Math.hypot(...newer)) < 1e-14);
});
