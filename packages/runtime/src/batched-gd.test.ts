import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParamLayout, Rng } from '@biaslab/core';
import type { Graph, LossKind } from '@biaslab/core';
import type { BatchedGdStep } from './batched-gd';
import { GraphBuilder, attr } from '@biaslab/onnx';
import { batchedRows, createBatchedGd, parameterRow, stackParameters } from './batched-gd';
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
  test(`batched GD step equals each run's loss, gradient and θ − η∇L from the objective (${loss})`, async () => {
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
      const out = await batch.step(stackParameters(model.layout, thetas), etas, true);
      for (let r = 0; r < runs; r++) {
        const { loss: l, grad } = await single.grad(thetas[r]);
        const where = `seed ${seed} run ${r}`;
        assert.ok(
          Math.abs(out.losses[r] - l) <= 1e-13 * Math.abs(l),
          `${where}: loss ${out.losses[r]} vs ${l}`,
        );
        const got = parameterRow(model.layout, out.grads!, r);
        assert.ok(relErr(got, grad) < 1e-13, `${where}: ∇L off by ${relErr(got, grad)}`);
        // the graph's θ − η·g is an optimizer's θ + (−η·g), bit for bit
        const expected = thetas[r].map((t, i) => t + -etas[r] * got[i]);
        assert.deepEqual(parameterRow(model.layout, out.next, r), expected, `${where}: next θ`);
      }
    } finally {
      await batch.dispose();
      await single.dispose();
    }
  });
}

test('in float32 the model rounds θ on the way in, and θ, ∇L and the step stay float64, as an optimizer has them', async () => {
  const seed = 15;
  const rng = new Rng(seed);
  const model = fixture(5, 3);
  const data = randomSplit(rng, 7, 5, 3, false);
  const thetas = Array.from({ length: 3 }, () => rng.normals(model.layout.size).map((v) => 0.7 * v));
  const etas = Float64Array.from([0.01, 0.1, 0.3]);
  const batch = await createBatchedGd({ model, loss: 'mse', data, dtype: 'float32', runs: 3 });
  const single = await createObjective({ model, loss: 'mse', data, dtype: 'float32', hvp: false });
  try {
    const out = await batch.step(stackParameters(model.layout, thetas), etas, true);
    for (let r = 0; r < 3; r++) {
      const { loss, grad } = await single.grad(thetas[r]);
      const got = parameterRow(model.layout, out.grads!, r);
      assert.ok(Math.abs(out.losses[r] - loss) <= 1e-5 * Math.abs(loss), `seed ${seed} run ${r}: loss`);
      assert.ok(relErr(got, grad) < 1e-5, `seed ${seed} run ${r}: ∇L off by ${relErr(got, grad)}`);
      const expected = thetas[r].map((t, i) => t + -etas[r] * got[i]);
      assert.deepEqual(parameterRow(model.layout, out.next, r), expected, `seed ${seed} run ${r}: next θ`);
    }
  } finally {
    await batch.dispose();
    await single.dispose();
  }
});

test('a run’s loss, gradient and step depend neither on its row nor on the number of rows (bit for bit)', async () => {
  const seed = 13;
  const rng = new Rng(seed);
  const model = fixture(6, 1);
  const data = randomSplit(rng, 5, 6, 1, false);
  const thetas = Array.from({ length: 9 }, () => rng.normals(model.layout.size));
  const etas = Float64Array.from(thetas, (_, i) => 0.05 * (i + 1));
  const reference = await createBatchedGd({ model, loss: 'mse', data, dtype: 'float64', runs: 1 });
  const row = (out: BatchedGdStep, r: number) => ({
    loss: out.losses[r],
    next: parameterRow(model.layout, out.next, r),
    grad: parameterRow(model.layout, out.grads!, r),
  });
  try {
    assert.equal(reference.runs, 1, 'float64: one row');
    const alone: ReturnType<typeof row>[] = [];
    for (const [i, theta] of thetas.entries()) {
      const out = await reference.step(
        stackParameters(model.layout, [theta]),
        Float64Array.of(etas[i]),
        true,
      );
      alone.push(row(out, 0));
    }
    for (const rows of [2, 3, 4, 5, 8, 9]) {
      const batch = await createBatchedGd({ model, loss: 'mse', data, dtype: 'float64', runs: rows });
      try {
        // every run at every row position: the set, then the set rotated by one
        for (const shift of [0, 1]) {
          const order = Array.from({ length: rows }, (_, r) => (r + shift) % rows);
          const params = stackParameters(
            model.layout,
            order.map((i) => thetas[i]),
          );
          const out = await batch.step(
            params,
            Float64Array.from(order, (i) => etas[i]),
            true,
          );
          order.forEach((i, r) =>
            assert.deepEqual(row(out, r), alone[i], `seed ${seed}: run ${i} in row ${r} of ${rows}`),
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

test('a batched graph has the rows asked for, but never a single row in float32', () => {
  assert.deepEqual(
    [1, 2, 7].map((runs) => batchedRows(runs, 'float64')),
    [1, 2, 7],
  );
  assert.deepEqual(
    [1, 2, 7].map((runs) => batchedRows(runs, 'float32')),
    [2, 2, 7],
  );
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
