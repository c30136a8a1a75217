import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParamLayout, Rng } from '@biaslab/core';
import type { Graph, LossKind } from '@biaslab/core';
import { GraphBuilder, attr } from '@biaslab/onnx';
import { createBatchedGd, parameterRow, stackParameters } from './batched-gd';
import { createObjective } from './objective';
import { randomSplit, relErr } from './objective-fixtures';

/**
 * A small model that is not quadratic in its parameters: f(x) = x·diag(a⊙a)·Wᵀ with W [k, d] and a [d]. The batched
 * graph stacks both with a leading [runs] axis and uses a broadcast MatMul, independently of the model plugins.
 */
function fixture(d: number, k: number) {
  const single = (): Graph => {
    const g = new GraphBuilder('fixture');
    const x = g.addInput('x', 'float64', ['N', d]);
    const w = g.addInput('W', 'float64', [k, d]);
    const a = g.addInput('a', 'float64', [d]);
    const scaled = g.op('Mul', [x, g.op('Mul', [a, a])]);
    g.addOutput(g.op('Gemm', [scaled, w], { transB: attr.int(1) }), 'float64', ['N', k]);
    return g.build();
  };
  const batched = (runs: number): Graph => {
    const g = new GraphBuilder('fixture_batched');
    const x = g.addInput('x', 'float64', ['N', d]);
    const w = g.addInput('W', 'float64', [runs, k, d]);
    const a = g.addInput('a', 'float64', [runs, d]);
    // [runs, 1, d] ⊙ [N, d] → [runs, N, d], then · Wₖᵀ [runs, d, k] → [runs, N, k]
    const square = g.op('Unsqueeze', [g.op('Mul', [a, a]), g.int64s([1])]);
    const scaled = g.op('Mul', [square, x]);
    const out = g.op('MatMul', [scaled, g.op('Transpose', [w], { perm: attr.ints([0, 2, 1]) })]);
    g.addOutput(out, 'float64', [runs, 'N', k]);
    return g.build();
  };
  const layout = new ParamLayout([
    { name: 'W', shape: [k, d] },
    { name: 'a', shape: [d] },
  ]);
  return { graph: single(), batchedGraph: batched, layout };
}

for (const loss of ['mse', 'cross-entropy'] as LossKind[]) {
  test(`batched GD step equals per-run loss, ‖∇L‖ and θ − η∇L (${loss})`, async () => {
    const seed = loss === 'mse' ? 11 : 12;
    const rng = new Rng(seed);
    const [d, k, n, runs] = [5, 3, 7, 4];
    const model = fixture(d, k);
    const data = randomSplit(rng, n, d, k, loss === 'cross-entropy');
    const thetas = Array.from({ length: runs }, () => rng.normals(model.layout.size).map((v) => 0.7 * v));
    const etas = Float64Array.from([0.01, 0.1, 0.3, 1]);
    const batch = await createBatchedGd({ model, loss, data, dtype: 'float64', runs });
    const single = await createObjective({ model, loss, data, dtype: 'float64', hvp: false });
    try {
      const out = await batch.step(stackParameters(model.layout, thetas), etas);
      for (let r = 0; r < runs; r++) {
        const { loss: l, grad } = await single.grad(thetas[r]);
        assert.ok(
          Math.abs(out.losses[r] - l) <= 1e-13 * Math.abs(l),
          `seed ${seed} run ${r}: loss ${out.losses[r]} vs ${l}`,
        );
        const norm = Math.hypot(...grad);
        assert.ok(Math.abs(out.gradNorms[r] - norm) <= 1e-12 * norm, `seed ${seed} run ${r}: ‖∇L‖`);
        const expected = thetas[r].map((t, i) => t - etas[r] * grad[i]);
        const got = parameterRow(model.layout, out.next, r);
        assert.ok(
          relErr(got, expected) < 1e-13,
          `seed ${seed} run ${r}: next θ off by ${relErr(got, expected)}`,
        );
      }
    } finally {
      await batch.dispose();
      await single.dispose();
    }
  });
}

test('a run’s batched step does not depend on the other runs in the batch (bit for bit)', async () => {
  const rng = new Rng(13);
  const model = fixture(6, 2);
  const data = randomSplit(rng, 9, 6, 2, false);
  const thetas = Array.from({ length: 3 }, () => rng.normals(model.layout.size));
  const three = await createBatchedGd({ model, loss: 'mse', data, dtype: 'float64', runs: 3 });
  const one = await createBatchedGd({ model, loss: 'mse', data, dtype: 'float64', runs: 1 });
  try {
    const all = await three.step(stackParameters(model.layout, thetas), Float64Array.from([0.2, 0.05, 0.4]));
    const alone = await one.step(stackParameters(model.layout, [thetas[1]]), Float64Array.from([0.05]));
    assert.equal(alone.losses[0], all.losses[1]);
    model.layout.slots.forEach((s, j) =>
      assert.deepEqual(alone.next[j], all.next[j].slice(s.size, 2 * s.size), `parameter ${s.name}`),
    );
  } finally {
    await three.dispose();
    await one.dispose();
  }
});

test('a model without a batched graph, or a wrongly shaped one, is refused with a clear error', async () => {
  const rng = new Rng(14);
  const { graph, layout, batchedGraph } = fixture(3, 2);
  const data = randomSplit(rng, 4, 3, 2, false);
  await assert.rejects(
    createBatchedGd({ model: { graph, layout } as never, loss: 'mse', data, dtype: 'float64', runs: 2 }),
    /no batched forward graph/,
  );
  await assert.rejects(
    createBatchedGd({
      model: { layout, batchedGraph: () => batchedGraph(3) },
      loss: 'mse',
      data,
      dtype: 'float64',
      runs: 2,
    }),
    /must output \[runs, N, outputs\] = \[2, 4, k\]/,
  );
  const batch = await createBatchedGd({
    model: { layout, batchedGraph },
    loss: 'mse',
    data,
    dtype: 'float64',
    runs: 2,
  });
  try {
    await assert.rejects(
      batch.step([new Float64Array(3)], new Float64Array(2)),
      /takes 2 stacked parameters/,
    );
  } finally {
    await batch.dispose();
  }
});
