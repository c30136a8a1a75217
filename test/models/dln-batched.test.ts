import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, createModel } from '@biaslab/core';
import type { FloatDType } from '@biaslab/core';
import { dlnModel } from '@biaslab/models';
import { createBatchedGd, createObjective, parameterRow, stackParameters } from '@biaslab/runtime';
import type { BatchedGd } from '@biaslab/runtime';

const cases = [
  { parametrization: 'shared', depth: 2 },
  { parametrization: 'signed', depth: 2 },
  { parametrization: 'signed', depth: 3 },
  { parametrization: 'unshared', depth: 2 },
  { parametrization: 'unshared', depth: 4 },
] as const;

/** Problem sizes: tiny, and the benchmark's d > n (where Gemm and MatMul round differently). */
const sizes = [
  [6, 5],
  [1000, 100],
] as const;

function problem(seed: number, d: number, n: number, options: (typeof cases)[number], dtype: FloatDType) {
  const rng = new Rng(seed);
  const model = createModel(
    dlnModel,
    { ...options, alpha: 0.5 },
    { inputShape: [d], outputSize: 1, task: 'regression', dtype, rng },
  );
  const data = {
    x: { dtype: 'float64', shape: [n, d], data: rng.normals(n * d) },
    y: { dtype: 'float64', shape: [n, 1], data: rng.normals(n) },
  } as const;
  const thetas = Array.from({ length: 17 }, () => rng.normals(model.layout.size).map((v) => 0.6 * v));
  const etas = Float64Array.from(thetas, (_, i) => 0.01 * (i + 1));
  /** Loss, gradient and next iterate of each of `runs` (indices into `thetas`) from one batched step. */
  const step = async (batch: BatchedGd, runs: readonly number[]) => {
    const params = stackParameters(
      model.layout,
      runs.map((i) => thetas[i]),
    );
    const out = await batch.step(
      params,
      Float64Array.from(runs, (i) => etas[i]),
      true,
    );
    return runs.map((_, r) => ({
      loss: out.losses[r],
      grad: parameterRow(model.layout, out.grads!, r),
      next: parameterRow(model.layout, out.next, r),
    }));
  };
  return { model, data, thetas, etas, step };
}

for (const [c, options] of cases.entries()) {
  const name = `${options.parametrization}, L = ${options.depth}`;
  test(`dln batchedGraph (${name}): each row is that run's loss, gradient and GD step`, async () => {
    const seed = 40 + c;
    const { model, data, thetas, etas, step } = problem(seed, 6, 5, options, 'float64');
    const batch = await createBatchedGd({ model, loss: 'mse', data, dtype: 'float64', runs: 3 });
    const single = await createObjective({ model, loss: 'mse', data, dtype: 'float64', hvp: false });
    try {
      const out = await step(batch, [0, 1, 2]);
      for (let r = 0; r < 3; r++) {
        const { loss, grad } = await single.grad(thetas[r]);
        assert.ok(
          Math.abs(out[r].loss - loss) <= 1e-12 * loss,
          `seed ${seed} run ${r}: ${out[r].loss} vs ${loss}`,
        );
        grad.forEach((g, i) => {
          assert.ok(
            Math.abs(out[r].grad[i] - g) <= 1e-12 * (1 + Math.abs(g)),
            `seed ${seed} run ${r} ∂θ${i}`,
          );
          const expected = thetas[r][i] - etas[r] * g;
          assert.ok(
            Math.abs(out[r].next[i] - expected) <= 1e-12 * (1 + Math.abs(expected)),
            `seed ${seed} θ⁺${i}`,
          );
        });
      }
    } finally {
      await batch.dispose();
      await single.dispose();
    }
  });

  // The lab trains every plain-GD run of dln through this graph, alone or in a group of any size: bit-identical
  // rows are what makes a run's numbers independent of batching.
  for (const dtype of ['float64', 'float32'] as const) {
    test(`dln batchedGraph (${name}, ${dtype}): a run's row does not depend on the rows around it (bit for bit)`, async () => {
      for (const [d, n] of sizes) {
        const seed = 60 + c + d;
        const { model, data, thetas, step } = problem(seed, d, n, options, dtype);
        const reference = await createBatchedGd({ model, loss: 'mse', data, dtype, runs: 1 });
        const alone: Awaited<ReturnType<typeof step>> = [];
        // a run alone: one row in float64, two (the same run twice) in float32
        for (const [i] of thetas.entries())
          alone.push((await step(reference, Array(reference.runs).fill(i)))[0]);
        await reference.dispose();
        for (const rows of [2, 3, 5, 8, 17]) {
          const batch = await createBatchedGd({ model, loss: 'mse', data, dtype, runs: rows });
          try {
            for (const shift of [0, 3]) {
              const order = Array.from({ length: rows }, (_, r) => (r + shift) % thetas.length);
              const out = await step(batch, order);
              order.forEach((i, r) =>
                assert.deepEqual(
                  out[r],
                  alone[i],
                  `seed ${seed}, ${d}×${n}: run ${i} in row ${r} of ${rows}`,
                ),
              );
            }
          } finally {
            await batch.dispose();
          }
        }
      }
    });
  }
}
