import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, createModel } from '@biaslab/core';
import { dlnModel } from '@biaslab/models';
import { createBatchedGd, createObjective, stackParameters } from '@biaslab/runtime';

const cases = [
  { parametrization: 'shared', depth: 2 },
  { parametrization: 'signed', depth: 2 },
  { parametrization: 'signed', depth: 3 },
  { parametrization: 'unshared', depth: 2 },
  { parametrization: 'unshared', depth: 4 },
] as const;

for (const [c, options] of cases.entries()) {
  test(`dln batchedGraph (${options.parametrization}, L = ${options.depth}): each row is that run's GD step`, async () => {
    const seed = 40 + c;
    const rng = new Rng(seed);
    const [d, n, runs] = [6, 5, 3];
    const model = createModel(
      dlnModel,
      { ...options, alpha: 0.5 },
      { inputShape: [d], outputSize: 1, task: 'regression', dtype: 'float64', rng },
    );
    const data = {
      x: { dtype: 'float64', shape: [n, d], data: rng.normals(n * d) },
      y: { dtype: 'float64', shape: [n, 1], data: rng.normals(n) },
    } as const;
    const thetas = Array.from({ length: runs }, () => rng.normals(model.layout.size).map((v) => 0.6 * v));
    const etas = Float64Array.from([0.05, 0.1, 0.2]);
    const batch = await createBatchedGd({ model, loss: 'mse', data, dtype: 'float64', runs });
    const single = await createObjective({ model, loss: 'mse', data, dtype: 'float64', hvp: false });
    try {
      const out = await batch.step(stackParameters(model.layout, thetas), etas);
      for (let r = 0; r < runs; r++) {
        const { loss, grad } = await single.grad(thetas[r]);
        assert.ok(
          Math.abs(out.losses[r] - loss) <= 1e-12 * loss,
          `seed ${seed} run ${r}: ${out.losses[r]} vs ${loss}`,
        );
        for (const [j, s] of model.layout.slots.entries()) {
          for (let i = 0; i < s.size; i++) {
            const expected = thetas[r][s.offset + i] - etas[r] * grad[s.offset + i];
            const got = out.next[j][r * s.size + i];
            assert.ok(
              Math.abs(got - expected) <= 1e-12 * (1 + Math.abs(expected)),
              `seed ${seed} run ${r} ${s.name}[${i}]`,
            );
          }
        }
      }
    } finally {
      await batch.dispose();
      await single.dispose();
    }
  });
}
