// Every registered model is differentiable by @biaslab/autodiff: its graph uses only ops in `supportedOps`,
// and the runtime's float64 gradient and Hessian-vector product agree with central finite differences of
// the loss and of the gradient. A model that needs an op without a rule fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, floatTensor, parseOptions } from '@biaslab/core';
import type { LossKind, ModelComponent } from '@biaslab/core';
import { supportedOps } from '@biaslab/autodiff';
import { modelsPlugin } from '@biaslab/models';
import { createObjective } from '@biaslab/runtime';

/** Small configurations of every registered model (each option that changes the graph at least once). */
const CONFIGS: Record<
  string,
  { options: Record<string, unknown>; inputShape: number[]; outputs: number; loss: LossKind }[]
> = {
  dln: [
    { options: { parametrization: 'shared', depth: 3 }, inputShape: [4], outputs: 1, loss: 'mse' },
    { options: { parametrization: 'signed', depth: 2 }, inputShape: [4], outputs: 1, loss: 'mse' },
    {
      options: { parametrization: 'unshared', depth: 4, initShape: 'unbalanced', alpha: 0.8 },
      inputShape: [4],
      outputs: 1,
      loss: 'mse',
    },
  ],
  linear: [{ options: {}, inputShape: [2, 3], outputs: 3, loss: 'cross-entropy' }],
  mlp: [
    {
      options: { widths: [5, 4], activation: 'gelu', parametrization: 'mup' },
      inputShape: [3],
      outputs: 2,
      loss: 'mse',
    },
    {
      options: { widths: [5], activation: 'elu', parametrization: 'ntk' },
      inputShape: [3],
      outputs: 2,
      loss: 'mse',
    },
    {
      options: { widths: [5], activation: 'softplus', bias: false },
      inputShape: [3],
      outputs: 2,
      loss: 'cross-entropy',
    },
  ],
  cnn: [
    {
      options: { channels: [3, 2], batchNorm: true, activation: 'tanh' },
      inputShape: [2, 4, 4],
      outputs: 3,
      loss: 'cross-entropy',
    },
    {
      options: { channels: [3], pooling: 'avg', activation: 'softplus' },
      inputShape: [5, 4],
      outputs: 2,
      loss: 'mse',
    },
  ],
  resnet: [
    {
      options: { width: 2, stages: 2, blocks: 1, activation: 'tanh' },
      inputShape: [2, 4, 4],
      outputs: 2,
      loss: 'mse',
    },
    {
      options: { width: 2, stages: 2, blocks: 1, batchNorm: false, activation: 'softplus' },
      inputShape: [1, 4, 4],
      outputs: 2,
      loss: 'mse',
    },
  ],
  vit: [
    {
      options: { dim: 4, heads: 2, depth: 1, patchSize: 2 },
      inputShape: [1, 4, 4],
      outputs: 2,
      loss: 'cross-entropy',
    },
    {
      options: { dim: 4, heads: 1, depth: 1, patchSize: 2, pool: 'mean', activation: 'elu' },
      inputShape: [4, 4],
      outputs: 2,
      loss: 'mse',
    },
  ],
};

test('every graph-building model of the plugin is registered and has configurations listed here', () => {
  const registered = modelsPlugin.components.map((c) => c.name);
  for (const name of Object.keys(CONFIGS))
    assert.ok(registered.includes(name), `model/${name} is not registered`);
});

for (const component of modelsPlugin.components as ModelComponent[]) {
  for (const config of CONFIGS[component.name] ?? []) {
    test(`${component.name} ${JSON.stringify(config.options)}: ops have rules; gradient and HVP match finite differences`, async () => {
      const seed = 61;
      const rng = new Rng(seed);
      const options = parseOptions(component.options, config.options, `model/${component.name}`);
      const model = component.create(options, {
        inputShape: config.inputShape,
        outputSize: config.outputs,
        task: config.loss === 'mse' ? 'regression' : 'classification',
        dtype: 'float64',
        rng: rng.fork('init'),
      });
      const ops = new Set(supportedOps(model.graph.opset));
      const missing = [...new Set(model.graph.nodes.map((n) => n.op))].filter((op) => !ops.has(op));
      assert.deepEqual(missing, [], `ops without an autodiff rule`);
      const n = 5;
      const d = config.inputShape.reduce((a, b) => a * b, 1);
      const y = new Float64Array(n * config.outputs);
      for (let s = 0; s < n; s++) {
        if (config.loss === 'mse')
          for (let k = 0; k < config.outputs; k++) y[s * config.outputs + k] = rng.normal();
        else y[s * config.outputs + rng.int(config.outputs)] = 1;
      }
      const objective = await createObjective({
        model,
        loss: config.loss,
        data: {
          x: floatTensor('float64', [n, ...config.inputShape], rng.normals(n * d)),
          y: floatTensor('float64', [n, config.outputs], y),
        },
        dtype: 'float64',
      });
      try {
        // a point away from θ₀ (where zero-initialised or balanced parameters make derivatives special)
        const theta = model.init.map((v) => v + 0.3 * rng.normal());
        const { grad } = await objective.grad(theta);
        const h = 1e-5;
        const coords = Array.from({ length: 6 }, () => rng.int(theta.length));
        for (const i of coords) {
          const plus = Float64Array.from(theta);
          const minus = Float64Array.from(theta);
          plus[i] += h;
          minus[i] -= h;
          const fd = ((await objective.loss(plus)) - (await objective.loss(minus))) / (2 * h);
          assert.ok(
            Math.abs(fd - grad[i]) < 1e-6 * Math.max(1, Math.abs(fd)),
            `∂L/∂θ[${i}] (${model.layout.slots.find((s) => i >= s.offset && i < s.offset + s.size)!.name}): ` +
              `autodiff ${grad[i]}, finite difference ${fd} (seed ${seed})`,
          );
        }
        // H v ≈ (∇L(θ + hv) − ∇L(θ − hv)) / 2h
        const v = rng.normals(theta.length);
        const hv = await objective.hvp(theta, v);
        const gPlus = (await objective.grad(theta.map((t, i) => t + h * v[i]))).grad;
        const gMinus = (await objective.grad(theta.map((t, i) => t - h * v[i]))).grad;
        let err = 0;
        let scale = 1;
        for (let i = 0; i < theta.length; i++) {
          const fd = (gPlus[i] - gMinus[i]) / (2 * h);
          err = Math.max(err, Math.abs(fd - hv[i]));
          scale = Math.max(scale, Math.abs(fd));
        }
        assert.ok(err < 1e-5 * scale, `max |Hv − finite difference| = ${err} (scale ${scale}, seed ${seed})`);
      } finally {
        await objective.dispose();
      }
    });
  }
}
