import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import { createObjective } from './objective';
import { mlpGraph, randomSplit, relErr } from './objective-fixtures';

const SEED = 20261203;

for (const loss of ['mse', 'cross-entropy'] as const) {
  test(`forward-over-reverse and reverse-over-reverse HVPs agree to 1e-10 (${loss}, tanh MLP, float64, seed ${SEED})`, async () => {
    const rng = new Rng(SEED);
    const [n, inDim, out] = [11, 5, 4];
    const model = mlpGraph(inDim, [7, 6], out);
    const data = randomSplit(rng, n, inDim, out, loss === 'cross-entropy');
    const rr = await createObjective({ model, loss, data, dtype: 'float64' });
    const fr = await createObjective({
      model,
      loss,
      data,
      dtype: 'float64',
      hvpMode: 'forward-over-reverse',
      maxChunkRows: 4,
    });
    try {
      for (let trial = 0; trial < 3; trial++) {
        const theta = rng.normals(model.layout.size).map((t) => 0.6 * t);
        const v = rng.normals(model.layout.size);
        const [a, b] = [await rr.hvp(theta, v), await fr.hvp(theta, v)];
        assert.ok(relErr(b, a) < 1e-10, `trial ${trial}: rel=${relErr(b, a)} seed=${SEED}`);
        const fused = await fr.hvpWithGrad(theta, v);
        assert.ok(relErr(fused.grad, (await rr.grad(theta)).grad) < 1e-12);
      }
    } finally {
      await rr.dispose();
      await fr.dispose();
    }
  });
}
