import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParamLayout, Rng } from '@biaslab/core';
import type { Graph, LossKind } from '@biaslab/core';
import { GraphBuilder, attr } from '@biaslab/onnx';
import { createBatchedGradient } from './batched-gradient';
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
  test(`batched gradient equals each run's loss and gradient from the objective (${loss})`, async () => {
    const seed = loss === 'mse' ? 11 : 12;
    const rng = new Rng(seed);
    const [d, k, n, runs] = [5, 3, 7, 4];
    const model = fixture(d, k);
    const data = randomSplit(rng, n, d, k, loss === 'cross-entropy');
    const thetas = Array.from({ length: runs }, () => rng.normals(model.layout.size).map((v) => 0.7 * v));
    const batch = await createBatchedGradient({ model, loss, data, dtype: 'float64', runs });
    const single = await createObjective({ model, loss, data, dtype: 'float64', hvp: false });
    try {
      const out = await batch.grad(thetas);
      for (let r = 0; r < runs; r++) {
        const { loss: l, grad } = await single.grad(thetas[r]);
        assert.ok(
          Math.abs(out[r].loss - l) <= 1e-13 * Math.abs(l),
          `seed ${seed} run ${r}: loss ${out[r].loss} vs ${l}`,
        );
        assert.ok(
          relErr(out[r].grad, grad) < 1e-13,
          `seed ${seed} run ${r}: ∇L off by ${relErr(out[r].grad, grad)}`,
        );
      }
    } finally {
      await batch.dispose();
      await single.dispose();
    }
  });
}

test('a run’s loss and gradient depend neither on its row nor on the number of rows (bit for bit)', async () => {
  const seed = 13;
  const rng = new Rng(seed);
  const model = fixture(6, 1);
  const data = randomSplit(rng, 5, 6, 1, false);
  const thetas = Array.from({ length: 9 }, () => rng.normals(model.layout.size));
  const reference = await createBatchedGradient({ model, loss: 'mse', data, dtype: 'float64', runs: 2 });
  try {
    assert.equal(reference.runs, 2);
    const alone = await Promise.all(thetas.map(async (t) => (await reference.grad([t]))[0]));
    for (const rows of [1, 3, 4, 5, 8, 9]) {
      const batch = await createBatchedGradient({ model, loss: 'mse', data, dtype: 'float64', runs: rows });
      try {
        assert.equal(batch.runs, Math.max(2, rows), 'a graph has at least two rows');
        // every run at every row position: the set, then the set rotated by one
        for (const shift of [0, 1]) {
          const order = thetas.slice(0, batch.runs).map((_, i) => (i + shift) % batch.runs);
          const out = await batch.grad(order.map((i) => thetas[i]));
          order.forEach((i, r) =>
            assert.deepEqual(out[r], alone[i], `seed ${seed}: run ${i} in row ${r} of ${rows}`),
          );
        }
      } finally {
        await batch.dispose();
      }
    }
  } finally {
    await reference.dispose();
  }
});

test('a model without a batched graph, a wrongly shaped one, or too many parameter sets are refused clearly', async () => {
  const rng = new Rng(14);
  const { graph, layout, batchedGraph } = fixture(3, 2);
  const data = randomSplit(rng, 4, 3, 2, false);
  await assert.rejects(
    createBatchedGradient({
      model: { graph, layout } as never,
      loss: 'mse',
      data,
      dtype: 'float64',
      runs: 2,
    }),
    /no batched forward graph/,
  );
  await assert.rejects(
    createBatchedGradient({
      model: { layout, batchedGraph: () => batchedGraph(3) },
      loss: 'mse',
      data,
      dtype: 'float64',
      runs: 2,
    }),
    /must output \[runs, N, outputs\] = \[2, 4, k\]/,
  );
  const batch = await createBatchedGradient({
    model: { layout, batchedGraph },
    loss: 'mse',
    data,
    dtype: 'float64',
    runs: 2,
  });
  try {
    const theta = new Float64Array(layout.size);
    await assert.rejects(
      batch.grad([theta, theta, theta]),
      /compiled for 2 runs takes 1 to 2 parameter sets; received 3/,
    );
  } finally {
    await batch.dispose();
  }
});
