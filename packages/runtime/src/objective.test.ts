import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BiaslabError, ParamLayout, Rng } from '@biaslab/core';
import type { DataSplit, FloatDType, Graph } from '@biaslab/core';
import { GraphBuilder } from '@biaslab/onnx';
import { createObjective } from './objective';
import { dot, mlpGraph, relErr } from './objective-fixtures';

const SEED = 20261128;

/** One-point shared-weight diagonal network f(x) = ⟨w⊙w, x⟩, written by hand so the test is independent. */
function diagonalGraph(d: number): Graph {
  const g = new GraphBuilder('dln');
  const x = g.addInput('x', 'float64', ['N', d]);
  const w = g.addInput('w', 'float64', [d]);
  const beta = g.op('Mul', [w, w]);
  const col = g.op('Reshape', [beta, g.int64s([d, 1])]);
  g.addOutput(g.op('MatMul', [x, col], {}, 'f'), 'float64', ['N', 1]);
  return g.build();
}

function split(x: Float64Array, n: number, inDim: number, y: Float64Array, out: number): DataSplit {
  return {
    x: { dtype: 'float64', shape: [n, inDim], data: x },
    y: { dtype: 'float64', shape: [n, out], data: y },
  };
}

test('diagonal network: loss, gradient and HVP equal the closed forms of docs/science.md (float64)', async () => {
  const x = Float64Array.from([1, 0.2, -0.7]);
  const y = 0.9;
  const w = Float64Array.from([0.3, 1.1, 0.5]);
  const layout = new ParamLayout([{ name: 'w', shape: [3] }]);
  const objective = await createObjective({
    model: { graph: diagonalGraph(3), layout },
    loss: 'mse',
    data: split(x, 1, 3, Float64Array.of(y), 1),
    dtype: 'float64',
  });
  try {
    // r = ⟨x, w⊙w⟩ − y;  L = ½r²;  ∇L = 2r(x⊙w);  ∇²L = 4(x⊙w)(x⊙w)ᵀ + 2r·diag(x)
    const r =
      dot(
        x,
        w.map((wi) => wi * wi),
      ) - y;
    assert.ok(Math.abs((await objective.loss(w)) - 0.5 * r * r) < 1e-15);
    const { loss, grad } = await objective.grad(w);
    assert.ok(Math.abs(loss - 0.5 * r * r) < 1e-15);
    const xw = x.map((xi, i) => xi * w[i]);
    assert.ok(
      relErr(
        grad,
        xw.map((v) => 2 * r * v),
      ) < 1e-14,
    );
    const v = Float64Array.from([0.4, -1.3, 2.0]);
    const hv = await objective.hvp(w, v);
    const expected = xw.map((a, i) => 4 * a * dot(xw, v) + 2 * r * x[i] * v[i]);
    assert.ok(relErr(hv, expected) < 1e-13, `hv=${hv} expected=${expected}`);
    const pred = await objective.predict(w);
    assert.ok(Math.abs(pred[0] - (r + y)) < 1e-15);
  } finally {
    await objective.dispose();
  }
});

for (const loss of ['mse', 'cross-entropy'] as const) {
  test(`tanh MLP with ${loss}: gradient and HVP match central differences; HVP is symmetric (float64, seed ${SEED})`, async () => {
    const rng = new Rng(SEED);
    const [n, inDim, hidden, out] = [7, 4, 5, 3];
    const { graph, layout } = mlpGraph(inDim, [hidden], out);
    const labels = Array.from({ length: n }, () => rng.int(out));
    const y = new Float64Array(n * out);
    labels.forEach((c, i) => (y[i * out + c] = 1));
    const objective = await createObjective({
      model: { graph, layout },
      loss,
      data: split(rng.normals(n * inDim), n, inDim, y, out),
      dtype: 'float64',
    });
    try {
      const theta = rng.normals(layout.size).map((v) => 0.5 * v);
      const t = rng.normals(layout.size);
      const h = 1e-5;
      const plus = theta.map((v, i) => v + h * t[i]);
      const minus = theta.map((v, i) => v - h * t[i]);
      const fd = ((await objective.loss(plus)) - (await objective.loss(minus))) / (2 * h);
      const { grad } = await objective.grad(theta);
      assert.ok(
        Math.abs(dot(grad, t) - fd) <= 1e-7 * Math.abs(fd),
        `⟨∇L,t⟩=${dot(grad, t)} fd=${fd} seed=${SEED}`,
      );

      const hv = await objective.hvp(theta, t);
      const gPlus = (await objective.grad(plus)).grad;
      const gMinus = (await objective.grad(minus)).grad;
      const fdHv = gPlus.map((g, i) => (g - gMinus[i]) / (2 * h));
      assert.ok(relErr(hv, fdHv) < 1e-6, `HVP vs FD rel=${relErr(hv, fdHv)} seed=${SEED}`);

      const u = rng.normals(layout.size);
      const hu = await objective.hvp(theta, u);
      const a = dot(u, hv);
      const b = dot(t, hu);
      assert.ok(Math.abs(a - b) <= 1e-10 * Math.max(Math.abs(a), 1), `⟨u,Ht⟩=${a} ⟨t,Hu⟩=${b} seed=${SEED}`);
    } finally {
      await objective.dispose();
    }
  });
}

test('float32 runs agree with float64 to single precision', async () => {
  const rng = new Rng(SEED + 1);
  const [n, inDim, hidden, out] = [16, 6, 8, 2];
  const { graph, layout } = mlpGraph(inDim, [hidden], out);
  const data = split(rng.normals(n * inDim), n, inDim, rng.normals(n * out), out);
  const theta = rng.normals(layout.size).map((v) => 0.3 * v);
  const results: Record<FloatDType, { loss: number; grad: Float64Array; hv: Float64Array }> = {} as never;
  for (const dtype of ['float32', 'float64'] as const) {
    const objective = await createObjective({ model: { graph, layout }, loss: 'mse', data, dtype });
    const { loss, grad } = await objective.grad(theta);
    results[dtype] = { loss, grad, hv: await objective.hvp(theta, theta) };
    await objective.dispose();
  }
  assert.ok(Math.abs(results.float32.loss - results.float64.loss) < 1e-5 * results.float64.loss);
  assert.ok(relErr(results.float32.grad, results.float64.grad) < 1e-4);
  assert.ok(relErr(results.float32.hv, results.float64.hv) < 1e-4);
});

test('a parameter missing from the graph is a clear SHAPE error', async () => {
  const layout = new ParamLayout([{ name: 'v', shape: [2] }]);
  await assert.rejects(
    createObjective({
      model: { graph: diagonalGraph(2), layout },
      loss: 'mse',
      data: split(Float64Array.of(1, 2), 1, 2, Float64Array.of(1), 1),
      dtype: 'float64',
    }),
    (e: unknown) => e instanceof BiaslabError && e.code === 'SHAPE' && /`v`/.test(e.message),
  );
});

test(`minibatches equal an objective built on the same rows; all rows equal the full batch (seed ${SEED})`, async () => {
  const rng = new Rng(SEED + 2);
  const [n, inDim, hidden, out] = [10, 3, 4, 2];
  const { graph, layout } = mlpGraph(inDim, [hidden], out);
  const x = rng.normals(n * inDim);
  const y = rng.normals(n * out);
  const objective = await createObjective({
    model: { graph, layout },
    loss: 'mse',
    data: split(x, n, inDim, y, out),
    dtype: 'float64',
  });
  const rows = [7, 2, 2, 9];
  const pick = (a: Float64Array, width: number) =>
    Float64Array.from(rows.flatMap((r) => [...a.subarray(r * width, (r + 1) * width)]));
  const subset = await createObjective({
    model: { graph, layout },
    loss: 'mse',
    data: split(pick(x, inDim), rows.length, inDim, pick(y, out), out),
    dtype: 'float64',
  });
  try {
    const theta = rng.normals(layout.size);
    const v = rng.normals(layout.size);
    const mb = objective.minibatch(rows);
    assert.equal(mb.samples, rows.length);
    assert.equal(await mb.loss(theta), await subset.loss(theta));
    assert.deepEqual((await mb.grad(theta)).grad, (await subset.grad(theta)).grad);
    assert.deepEqual(await mb.hvp(theta, v), await subset.hvp(theta, v));
    const all = objective.minibatch(Array.from({ length: n }, (_, i) => i));
    assert.ok(Math.abs((await all.loss(theta)) - (await objective.loss(theta))) < 1e-14);
    assert.throws(
      () => objective.minibatch([0, n]),
      (e: unknown) => e instanceof BiaslabError && e.code === 'SHAPE',
    );
  } finally {
    await objective.dispose();
    await subset.dispose();
  }
});

test('float64 keeps scalar multipliers next to MatMul exact (no fusion into a float32 attribute)', async () => {
  // f = (x · W) · c with c = 0.1 (not a float32 number): extended fusions would turn c into MatMul's float32 alpha.
  const g = new GraphBuilder('scaled');
  const x = g.addInput('x', 'float64', ['N', 3]);
  const w = g.addInput('w', 'float64', [3, 1]);
  g.addOutput(g.op('Mul', [g.op('MatMul', [x, w]), g.scalar(0.1, 'float64')], {}, 'f'), 'float64', ['N', 1]);
  const layout = new ParamLayout([{ name: 'w', shape: [3, 1] }]);
  const xs = Float64Array.of(1.3, -0.7, 2.9);
  const objective = await createObjective({
    model: { graph: g.build(), layout },
    loss: 'mse',
    data: split(xs, 1, 3, Float64Array.of(0), 1),
    dtype: 'float64',
  });
  try {
    const theta = Float64Array.of(0.11, 0.23, -0.37);
    const [f] = await objective.predict(theta);
    assert.equal(f, (1.3 * 0.11 + -0.7 * 0.23 + 2.9 * -0.37) * 0.1);
  } finally {
    await objective.dispose();
  }
});

test(`targets.grad equals the gradient of an objective built on those targets (seed ${SEED})`, async () => {
  const rng = new Rng(SEED + 3);
  const [n, inDim, hidden, out] = [9, 3, 4, 2];
  const { graph, layout } = mlpGraph(inDim, [hidden], out);
  const x = rng.normals(n * inDim);
  const y = rng.normals(n * out);
  const noise = rng.normals(n * out).map((v) => 0.3 * v);
  const make = (
    targets: Float64Array,
    loss: 'mse' | 'cross-entropy' = 'mse',
    dtype: 'float32' | 'float64' = 'float64',
  ) =>
    createObjective({
      model: { graph, layout },
      loss,
      data: split(x, n, inDim, targets, out),
      dtype,
    });
  const noisyY = y.map((v, i) => v + noise[i]);
  const clean = await make(y);
  const noisy = await make(noisyY);
  const ce = await make(y, 'cross-entropy');
  const clean32 = await make(y, 'mse', 'float32');
  const noisy32 = await make(noisyY, 'mse', 'float32');
  try {
    const theta = rng.normals(layout.size);
    assert.equal(clean.targets!.loss, 'mse');
    assert.deepEqual(clean.targets!.values, y);
    assert.deepEqual(await clean.targets!.grad(theta, y), await clean.grad(theta));
    const perturbed = await clean.targets!.grad(theta, noisyY);
    const reference = await noisy.grad(theta);
    assert.ok(Math.abs(perturbed.loss - reference.loss) < 1e-15 * Math.max(1, reference.loss));
    assert.ok(relErr(perturbed.grad, reference.grad) < 1e-14);
    await assert.rejects(clean.targets!.grad(theta, noisyY.subarray(1)), /Targets have 17 entries/);
    // float32: the given targets are rounded as the objective's own are, so the two agree bit for bit.
    assert.deepEqual(clean32.targets!.values, Float64Array.from(Float32Array.from(y)));
    assert.deepEqual(await clean32.targets!.grad(theta, noisyY), await noisy32.grad(theta));
    assert.equal(ce.targets!.loss, 'cross-entropy');
    assert.deepEqual(await ce.targets!.grad(theta, y), await ce.grad(theta));
  } finally {
    await Promise.all([clean, noisy, ce, clean32, noisy32].map((o) => o.dispose()));
  }
});
