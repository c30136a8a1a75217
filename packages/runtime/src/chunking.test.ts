import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BiaslabError, Rng } from '@biaslab/core';
import { bytesPerRow } from './chunk-plan';
import { fixBatch, withLoss } from './loss-head';
import { createObjective } from './objective';
import { mlpGraph, randomSplit, relErr } from './objective-fixtures';

const SEED = 20261201;

for (const loss of ['mse', 'cross-entropy'] as const) {
  test(`chunked evaluation equals one chunk: loss, grad, hvp, ggnvp, predict (${loss}, n=23, chunks of 5, float64, seed ${SEED})`, async () => {
    const rng = new Rng(SEED);
    const [n, inDim, out] = [23, 4, 3];
    const model = mlpGraph(inDim, [6, 5], out);
    const data = randomSplit(rng, n, inDim, out, loss === 'cross-entropy');
    const whole = await createObjective({ model, loss, data, dtype: 'float64' });
    const chunked = await createObjective({ model, loss, data, dtype: 'float64', maxChunkRows: 5 });
    try {
      assert.equal(whole.chunkRows, n);
      assert.equal(chunked.chunkRows, 5);
      const theta = rng.normals(model.layout.size).map((t) => 0.5 * t);
      const v = rng.normals(model.layout.size);
      const [a, b] = [await whole.loss(theta), await chunked.loss(theta)];
      assert.ok(Math.abs(a - b) <= 1e-12 * Math.abs(a), `loss ${a} vs ${b} seed=${SEED}`);
      const [ga, gb] = [await whole.grad(theta), await chunked.grad(theta)];
      assert.ok(Math.abs(ga.loss - gb.loss) <= 1e-12 * Math.abs(ga.loss));
      assert.ok(relErr(gb.grad, ga.grad) < 1e-12, `grad rel=${relErr(gb.grad, ga.grad)} seed=${SEED}`);
      const [ha, hb] = [await whole.hvp(theta, v), await chunked.hvp(theta, v)];
      assert.ok(relErr(hb, ha) < 1e-12, `hvp rel=${relErr(hb, ha)} seed=${SEED}`);
      const [fa, fb] = [await whole.hvpWithGrad(theta, v), await chunked.hvpWithGrad(theta, v)];
      assert.ok(relErr(fb.hv, ha) < 1e-12 && relErr(fa.hv, ha) < 1e-12);
      assert.ok(relErr(fb.grad, ga.grad) < 1e-12 && Math.abs(fb.loss - ga.loss) <= 1e-12 * Math.abs(ga.loss));
      const [na, nb] = [await whole.ggnvp(theta, v), await chunked.ggnvp(theta, v)];
      assert.ok(relErr(nb, na) < 1e-12, `ggnvp rel=${relErr(nb, na)} seed=${SEED}`);
      assert.ok(relErr(await chunked.predict(theta), await whole.predict(theta)) < 1e-14);
      // a minibatch larger than the chunk is chunked too, normalised by its own size
      const rows = [22, 0, 3, 3, 17, 9, 11, 5];
      const [ma, mb] = [whole.minibatch(rows), chunked.minibatch(rows)];
      assert.ok(relErr((await mb.grad(theta)).grad, (await ma.grad(theta)).grad) < 1e-12);
      assert.ok(relErr(await mb.hvp(theta, v), await ma.hvp(theta, v)) < 1e-12);
    } finally {
      await whole.dispose();
      await chunked.dispose();
    }
  });
}

test(`a memory bound sets the chunk size; a bound below one row is an INVALID_OPTIONS error (seed ${SEED})`, async () => {
  const rng = new Rng(SEED + 1);
  const [n, inDim, out] = [40, 8, 2];
  const model = mlpGraph(inDim, [16], out);
  const data = randomSplit(rng, n, inDim, out, false);
  const whole = await createObjective({ model, loss: 'mse', data, dtype: 'float64' });
  const rowBytes = bytesPerRow(
    (rows) => withLoss(fixBatch(model.graph, rows), 'mse', rows, 'float64'),
    'float64',
  );
  // room for 7.5 rows: chunks of 7 (and a remainder of 5)
  const bounded = await createObjective({
    model,
    loss: 'mse',
    data,
    dtype: 'float64',
    memoryBytes: 7.5 * rowBytes,
  });
  try {
    assert.equal(bounded.chunkRows, 7);
    const theta = rng.normals(model.layout.size);
    const v = rng.normals(model.layout.size);
    assert.ok(relErr((await bounded.grad(theta)).grad, (await whole.grad(theta)).grad) < 1e-12);
    assert.ok(relErr(await bounded.hvp(theta, v), await whole.hvp(theta, v)) < 1e-12);
  } finally {
    await whole.dispose();
    await bounded.dispose();
  }
  await assert.rejects(
    createObjective({ model, loss: 'mse', data, dtype: 'float64', memoryBytes: 10 }),
    (e: unknown) =>
      e instanceof BiaslabError && e.code === 'INVALID_OPTIONS' && /memoryBytes/.test(e.message),
  );
  await assert.rejects(
    createObjective({ model, loss: 'mse', data, dtype: 'float64', maxChunkRows: 0 }),
    (e: unknown) => e instanceof BiaslabError && e.code === 'INVALID_OPTIONS',
  );
});

test(`concurrent evaluations with different θ do not share feed buffers (float32, seed ${SEED})`, async () => {
  const rng = new Rng(SEED + 2);
  const [n, inDim, out] = [12, 5, 2];
  const model = mlpGraph(inDim, [7], out);
  const objective = await createObjective({
    model,
    loss: 'mse',
    data: randomSplit(rng, n, inDim, out, false),
    dtype: 'float32',
    maxChunkRows: 5,
  });
  try {
    const thetas = [0, 1, 2, 3].map(() => rng.normals(model.layout.size));
    const sequential: { loss: number; grad: Float64Array }[] = [];
    for (const t of thetas) sequential.push(await objective.grad(t));
    const concurrent = await Promise.all(thetas.map((t) => objective.grad(t)));
    concurrent.forEach((c, i) => assert.deepEqual(c.grad, sequential[i].grad, `θ #${i} seed=${SEED}`));
  } finally {
    await objective.dispose();
  }
});
