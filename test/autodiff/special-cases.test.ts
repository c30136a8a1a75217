import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError } from '@biaslab/core';
import type { Tensor } from '@biaslab/core';
import { GraphBuilder, attr } from '@biaslab/onnx';
import { batchNormTraining, gradientGraph, hvpGraph } from '@biaslab/autodiff';
import { GraphSession } from '@biaslab/runtime';
import { directions, dot, randomTensor, relErr, scalarOut, shifted } from './harness';

const SEED = 9301;

/** ⟨t, ∇L⟩ from the gradient graph vs the central difference of L along t. */
async function gradientError(
  graph: ReturnType<GraphBuilder['build']>,
  loss: string,
  x: Record<string, Tensor>,
  h: number,
  rng: Rng,
): Promise<number> {
  const specs = Object.entries(x).map(([name, t]) => ({ name, shape: t.shape }));
  const dtype = Object.values(x)[0].dtype as 'float32' | 'float64';
  const s = await GraphSession.create(gradientGraph(graph, { loss, wrt: specs.map((p) => p.name) }));
  const t = directions(rng, dtype, specs);
  const out = await s.run(x);
  const numeric =
    ((await scalarOut(s, shifted(x, t, h), loss)) - (await scalarOut(s, shifted(x, t, -h), loss))) / (2 * h);
  await s.release();
  return relErr(
    dot(t, out, (n) => `grad/${n}`),
    numeric,
  );
}

test(`LayerNormalization: cotangents of Mean and InvStdDev (float32, the only stash type onnxruntime runs; seed ${SEED})`, async () => {
  const rng = new Rng(SEED);
  const g = new GraphBuilder('ln-stats', 17);
  const x = g.addInput('x', 'float32', [3, 4]);
  const gamma = g.addInput('gamma', 'float32', [4]);
  const [y, mean, inv] = g.opMulti('LayerNormalization', [x, gamma], 3, { epsilon: attr.float(0.05) });
  const weigh = (v: string, shape: number[]) =>
    g.op(
      'ReduceSum',
      [g.op('Mul', [g.op('Tanh', [v]), g.constant(randomTensor(rng, 'float32', shape, [-1, 1], false))])],
      {
        keepdims: attr.int(0),
      },
    );
  const loss = g.op('Add', [g.op('Add', [weigh(y, [3, 4]), weigh(mean, [3, 1])]), weigh(inv, [3, 1])]);
  g.addOutput(loss, 'float32', []);
  const feeds = {
    x: randomTensor(rng, 'float32', [3, 4], [-1.5, 1.5], false),
    gamma: randomTensor(rng, 'float32', [4], [0.5, 1.5], true),
  };
  const err = await gradientError(g.build(), loss, feeds, 3e-3, rng);
  assert.ok(err < 2e-3, `gradient vs central difference rel ${err.toExponential(2)} (seed ${SEED})`);
});

test(`batchNormTraining (batch statistics from standard ops) differentiates in float64 (seed ${SEED + 1})`, async () => {
  const rng = new Rng(SEED + 1);
  for (const opset of [17, 18]) {
    const g = new GraphBuilder('bn-train', opset);
    const x = g.addInput('x', 'float64', [4, 3, 2]);
    const gamma = g.addInput('gamma', 'float64', [3]);
    const beta = g.addInput('beta', 'float64', [3]);
    const y = batchNormTraining(g, x, gamma, beta, [4, 3, 2], 'float64', { epsilon: 1e-3 });
    const c = g.constant(randomTensor(rng, 'float64', [4, 3, 2], [-1, 1], false));
    const loss = g.op('ReduceSum', [g.op('Mul', [g.op('Tanh', [y]), c])], { keepdims: attr.int(0) });
    g.addOutput(loss, 'float64', []);
    const feeds = {
      x: randomTensor(rng, 'float64', [4, 3, 2], [-1.5, 1.5], false),
      gamma: randomTensor(rng, 'float64', [3], [0.5, 1.5], true),
      beta: randomTensor(rng, 'float64', [3], [-1, 1], false),
    };
    // the normalised output has zero mean and unit (biased) variance per channel before γ, β
    const plain = await GraphSession.create({
      ...g.build(),
      outputs: [{ name: y, dtype: 'float64', shape: [4, 3, 2] }],
    });
    const out = (
      await plain.run({
        ...feeds,
        gamma: { dtype: 'float64', shape: [3], data: Float64Array.of(1, 1, 1) },
        beta: { dtype: 'float64', shape: [3], data: Float64Array.of(0, 0, 0) },
      })
    )[y].data as Float64Array;
    for (let ch = 0; ch < 3; ch++) {
      const v = [0, 1, 2, 3].flatMap((n) => [0, 1].map((s) => out[n * 6 + ch * 2 + s]));
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const var_ = v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
      assert.ok(Math.abs(m) < 1e-12, `channel ${ch} mean ${m}`);
      // σ²/(σ² + ε) with ε = 1e-3 and σ² of order 1
      assert.ok(var_ < 1 && var_ > 0.99, `channel ${ch} variance ${var_}`);
    }
    await plain.release();
    const err = await gradientError(g.build(), loss, feeds, 1e-5, rng);
    assert.ok(
      err < 1e-6,
      `opset ${opset}: gradient vs central difference rel ${err.toExponential(2)} (seed ${SEED + 1})`,
    );
    const hvp = await GraphSession.create(hvpGraph(g.build(), { loss, wrt: ['x', 'gamma', 'beta'] }));
    const specs = Object.entries(feeds).map(([name, t]) => ({ name, shape: t.shape }));
    const [u, v] = [directions(rng, 'float64', specs), directions(rng, 'float64', specs)];
    const tan = (d: Record<string, Tensor>) =>
      Object.fromEntries(Object.entries(d).map(([k, t]) => [`tangent/${k}`, t]));
    const uHv = dot(u, await hvp.run({ ...feeds, ...tan(v) }), (n) => `hvp/${n}`);
    const vHu = dot(v, await hvp.run({ ...feeds, ...tan(u) }), (n) => `hvp/${n}`);
    assert.ok(relErr(uHv, vHu, 1e-9) < 1e-9, `opset ${opset}: ⟨u,Hv⟩ ${uHv} vs ⟨v,Hu⟩ ${vHu}`);
    await hvp.release();
  }
});

/** L = Σ op(w) for a one-node graph, differentiated wrt w. */
function oneNode(op: string, opset: number, extra: (g: GraphBuilder) => string[], attributes = {}) {
  const g = new GraphBuilder(op, opset);
  const w = g.addInput('w', 'float64', [2, 3]);
  const y = g.op(op, [w, ...extra(g)], attributes, 'block/op');
  const loss = g.op('ReduceSum', [y], { keepdims: attr.int(0) });
  g.addOutput(loss, 'float64', []);
  return () => gradientGraph(g.build(), { loss, wrt: ['w'] });
}

test('training-mode Dropout is refused with NO_RULE saying Dropout is differentiated only as identity', () => {
  const yes = (g: GraphBuilder) => ['', g.constant({ dtype: 'bool', shape: [], data: Uint8Array.of(1) })];
  const unknownMode = (g: GraphBuilder) => ['', g.addInput('mode', 'bool', [])];
  for (const extra of [yes, unknownMode]) {
    assert.throws(
      oneNode('Dropout', 13, extra),
      (e: unknown) =>
        isBiaslabError(e, 'NO_RULE') &&
        /only as identity \(evaluation mode\)/.test((e as Error).message) &&
        /block\/op_node/.test((e as Error).message),
    );
  }
  const off = (g: GraphBuilder) => ['', g.constant({ dtype: 'bool', shape: [], data: Uint8Array.of(0) })];
  assert.doesNotThrow(oneNode('Dropout', 13, off));
});

test('training-mode BatchNormalization is refused and points to batchNormTraining', () => {
  const g = new GraphBuilder('bn', 15);
  const x = g.addInput('x', 'float64', [2, 3]);
  const c = () => g.constant(randomTensor(new Rng(1), 'float64', [3], [0.5, 1], false));
  const [y] = g.opMulti(
    'BatchNormalization',
    [x, c(), c(), c(), c()],
    3,
    { training_mode: attr.int(1) },
    'bn',
  );
  const loss = g.op('ReduceSum', [y], { keepdims: attr.int(0) });
  g.addOutput(loss, 'float64', []);
  assert.throws(
    () => gradientGraph(g.build(), { loss, wrt: ['x'] }),
    (e: unknown) => isBiaslabError(e, 'NO_RULE') && /batchNormTraining/.test((e as Error).message),
  );
});

test('Einsum with a repeated letter in one operand and Pad in wrap mode are refused clearly', () => {
  const g = new GraphBuilder('diag', 17);
  const w = g.addInput('w', 'float64', [3, 3]);
  const loss = g.op('Einsum', [w], { equation: attr.string('ii->') });
  g.addOutput(loss, 'float64', []);
  assert.throws(
    () => gradientGraph(g.build(), { loss, wrt: ['w'] }),
    (e: unknown) => isBiaslabError(e, 'NO_RULE') && /repeated inside one operand/.test((e as Error).message),
  );
  assert.throws(
    oneNode('Pad', 19, (b) => [b.int64s([0, 1, 0, 1])], { mode: attr.string('wrap') }),
    (e: unknown) => isBiaslabError(e, 'NO_RULE') && /mode `wrap`/.test((e as Error).message),
  );
});
