import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import type { FloatDType, Graph, Tensor } from '@biaslab/core';
import { GraphBuilder, attr } from '@biaslab/onnx';
import { gradientGraph, hvpGraph } from '@biaslab/autodiff';
import { GraphSession } from '@biaslab/runtime';
import { directions, dot, flat, randomTensor, relErr, relErrVec, scalarOut, shifted } from './harness';
import { conformanceCases, float64Prediction, missingKernel, ruleErrors } from './rule-errors';
import type { RuleCase } from './rule-errors';

const BASE_SEED = 7211;
const H = 1e-5;

/** Runs a case in `dtype` and asserts its three bounds (see `ruleErrors`). */
async function assertRule(c: RuleCase, dtype: FloatDType): Promise<void> {
  const errors = await ruleErrors(c, dtype);
  assert.ok(errors, `${c.name}: nothing to differentiate in ${dtype}`);
  for (const [what, check] of Object.entries(errors)) {
    assert.ok(
      check.err < check.bound,
      `${c.name} ${dtype}: ${what}: ${check.detail} (rel ${check.err.toExponential(2)}, bound ${check.bound})`,
    );
  }
}

/**
 * One table: every VJP rule × its samples (equal, broadcast and rank-mismatch shapes) × opsets, in float64
 * (gradient and HVP against finite differences, see `ruleErrors`). The op definitions' float64 support must
 * predict onnxruntime exactly: a case whose derived graphs hold an op without a float64 kernel at that opset
 * (and attributes) must fail to compile in float64 naming that op, and then runs in float32 with float32
 * tolerances; every other case must run in float64.
 */
for (const c of conformanceCases()) {
  test(c.name, async (t) => {
    const blocked = float64Prediction(c);
    if (!blocked) {
      t.skip('output is not float64 or op has no float input: nothing to differentiate');
      return;
    }
    try {
      await assertRule(c, 'float64');
    } catch (error) {
      if (!missingKernel(error)) throw error;
      const op = /implementation for (\w+)\(/.exec((error as Error).message)?.[1];
      assert.ok(
        op !== undefined && blocked.includes(op),
        `${c.name}: onnxruntime has no float64 kernel for \`${op}\` here, but the op definitions predict ${blocked.length ? blocked.map((b) => `\`${b}\``).join(', ') : 'none'}; fix the op's \`float64\` support (packages/autodiff/src/ops/)`,
      );
      await assertRule(c, 'float32');
      return;
    }
    assert.deepEqual(
      blocked,
      [],
      `${c.name}: onnxruntime ran this case in float64, but the op definitions say ${blocked.join(', ')} has no float64 kernel here; fix their \`float64.kernel\` conditions`,
    );
  });
}

/** Mean over all axes to a scalar, in the form the opset wants (ReduceMean's axes became an input in 18). */
function meanAll(g: GraphBuilder, x: string, rank: number): string {
  const axes = [...Array(rank).keys()];
  const keep = { keepdims: attr.int(0) };
  return g.opset >= 18
    ? g.op('ReduceMean', [x, g.int64s(axes)], keep)
    : g.op('ReduceMean', [x], { ...keep, axes: attr.ints(axes) });
}

/**
 * 2-layer tanh MLP on fixed data: h = tanh(x·W1 + b1), z = Gemm(h, W2, b2); head `mse` is ½·mean‖z − y‖²
 * (a ReduceMean of squares), head `ce` is mean softmax cross-entropy −mean Σ onehot ⊙ logsoftmax(z).
 */
function mlpProblem(opset: number, dtype: FloatDType, head: 'mse' | 'ce', rng: Rng) {
  const [n, d, k, c] = [6, 3, 5, 4];
  const g = new GraphBuilder(`mlp-${head}`, opset);
  const x = g.constant(randomTensor(rng, dtype, [n, d], [-1, 1], false), 'x');
  const params = { W1: [d, k], b1: [k], W2: [k, c], b2: [c] } as Record<string, number[]>;
  for (const [name, shape] of Object.entries(params)) g.addInput(name, dtype, shape);
  const h = g.op('Tanh', [g.op('Add', [g.op('MatMul', [x, 'W1']), 'b1'])]);
  const z = g.op('Gemm', [h, 'W2', 'b2']);
  let loss: string;
  if (head === 'mse') {
    const y = g.constant(randomTensor(rng, dtype, [n, c], [-1, 1], false), 'y');
    const r = g.op('Sub', [z, y]);
    loss = g.op('Mul', [meanAll(g, g.op('Mul', [r, r]), 2), g.scalar(0.5, dtype)]);
  } else {
    const onehot = Array.from({ length: n * c }, (_, i) => (i % c === Math.floor(i / c) % c ? 1 : 0));
    const y = g.constant(
      {
        dtype,
        shape: [n, c],
        data: dtype === 'float64' ? Float64Array.from(onehot) : Float32Array.from(onehot),
      } as Tensor,
      'onehot',
    );
    const picked = g.op(
      'ReduceSum',
      [g.op('Mul', [g.op('LogSoftmax', [z], { axis: attr.int(1) }), y]), g.int64s([1])],
      { keepdims: attr.int(0) },
    );
    loss = g.op('Neg', [meanAll(g, picked, 1)]);
  }
  g.addOutput(loss, dtype, []);
  const specs = Object.entries(params).map(([name, shape]) => ({ name, shape }));
  const theta: Record<string, Tensor> = {};
  for (const s of specs) theta[s.name] = randomTensor(rng, dtype, s.shape, [-1, 1], false);
  return { graph: g.build(), loss, specs, theta, wrt: specs.map((s) => s.name) };
}

/**
 * Checks a whole graph in float64 at θ: ⟨t,∇L⟩ vs central differences, ⟨u,Hv⟩ = ⟨v,Hu⟩, and Hv vs central
 * differences of the gradient, and that a parameter the loss ignores gets an exact zero.
 */
async function checkGraph(
  label: string,
  graph: Graph,
  loss: string,
  specs: { name: string; shape: number[] }[],
  theta: Record<string, Tensor>,
  rng: Rng,
) {
  const wrt = specs.map((s) => s.name);
  const session = await GraphSession.create(hvpGraph(graph, { loss, wrt }));
  const tangentOf = (d: Record<string, Tensor>) =>
    Object.fromEntries(Object.entries(d).map(([k, v]) => [`tangent/${k}`, v]));
  const [t, u, v] = [
    directions(rng, 'float64', specs),
    directions(rng, 'float64', specs),
    directions(rng, 'float64', specs),
  ];
  const atV = await session.run({ ...theta, ...tangentOf(v) });
  const atU = await session.run({ ...theta, ...tangentOf(u) });
  const lp = await scalarOut(session, { ...shifted(theta, t, H), ...tangentOf(v) }, loss);
  const lm = await scalarOut(session, { ...shifted(theta, t, -H), ...tangentOf(v) }, loss);
  const e1 = relErr(
    dot(t, atV, (n) => `grad/${n}`),
    (lp - lm) / (2 * H),
  );
  assert.ok(e1 < 1e-6, `${label}: gradient vs central difference rel ${e1.toExponential(2)}`);
  const eSym = relErr(
    dot(u, atV, (n) => `hvp/${n}`),
    dot(v, atU, (n) => `hvp/${n}`),
    1e-9,
  );
  assert.ok(eSym < 1e-9, `${label}: ⟨u,Hv⟩ vs ⟨v,Hu⟩ rel ${eSym.toExponential(2)}`);
  const gradNames = wrt.map((n) => `grad/${n}`);
  const gp = flat(await session.run({ ...shifted(theta, v, H), ...tangentOf(v) }), gradNames);
  const gm = flat(await session.run({ ...shifted(theta, v, -H), ...tangentOf(v) }), gradNames);
  const hv = flat(
    atV,
    wrt.map((n) => `hvp/${n}`),
  );
  const e2 = relErrVec(
    hv,
    gp.map((q, i) => (q - gm[i]) / (2 * H)),
  );
  assert.ok(e2 < 1e-6, `${label}: Hv vs finite differences of the gradient rel ${e2.toExponential(2)}`);
  await session.release();
}

for (const head of ['mse', 'ce'] as const) {
  for (const opset of [13, 17, 18, 21]) {
    const seed = BASE_SEED + 1000 + opset + (head === 'ce' ? 100 : 0);
    const label = `2-layer tanh MLP, ${head} head, float64 @opset ${opset} (seed ${seed})`;
    test(label, async () => {
      const rng = new Rng(seed);
      const p = mlpProblem(opset, 'float64', head, rng);
      await checkGraph(label, p.graph, p.loss, p.specs, p.theta, rng);
    });
  }
}

test(`fan-in, shared subexpressions and an ignored parameter (seed ${BASE_SEED + 4000})`, async () => {
  const rng = new Rng(BASE_SEED + 4000);
  const g = new GraphBuilder('fan-in', 17);
  const w = g.addInput('w', 'float64', [3, 3]);
  const b = g.addInput('b', 'float64', [3]);
  g.addInput('unused', 'float64', [2]);
  // w feeds a MatMul twice, a Mul twice and a Tanh; b is broadcast into two places
  const ww = g.op('MatMul', [w, w]);
  const s = g.op('Add', [g.op('Mul', [w, w]), g.op('Tanh', [g.op('Add', [ww, b])])]);
  const r = g.op('Sub', [
    g.op('Exp', [g.op('Neg', [g.op('Mul', [s, s])])]),
    g.op('Div', [b, g.scalar(3, 'float64')]),
  ]);
  const loss = g.op('ReduceSum', [r], { keepdims: attr.int(0) });
  g.addOutput(loss, 'float64', []);
  const specs = [
    { name: 'w', shape: [3, 3] },
    { name: 'b', shape: [3] },
    { name: 'unused', shape: [2] },
  ];
  const theta: Record<string, Tensor> = {};
  for (const sp of specs) theta[sp.name] = randomTensor(rng, 'float64', sp.shape, [-1, 1], false);
  await checkGraph('fan-in', g.build(), loss, specs, theta, rng);
  const session = await GraphSession.create(gradientGraph(g.build(), { loss, wrt: ['unused'] }));
  const out = await session.run(theta);
  assert.deepEqual([...out['grad/unused'].data], [0, 0]);
  assert.deepEqual(out['grad/unused'].shape, [2]);
  await session.release();
});

test(`float32 smoke: MLP gradient and HVP agree with float64 (seed ${BASE_SEED + 5000})`, async () => {
  const results: Record<string, Float64Array>[] = [];
  for (const dtype of ['float64', 'float32'] as const) {
    const rng = new Rng(BASE_SEED + 5000);
    const p = mlpProblem(17, dtype, 'ce', rng);
    const v = directions(rng, dtype, p.specs);
    const session = await GraphSession.create(hvpGraph(p.graph, { loss: p.loss, wrt: p.wrt }));
    const tangents = Object.fromEntries(Object.entries(v).map(([k, t]) => [`tangent/${k}`, t]));
    const out = await session.run({ ...p.theta, ...tangents });
    assert.equal(out[`grad/W1`].dtype, dtype);
    results.push({
      grad: flat(
        out,
        p.wrt.map((n) => `grad/${n}`),
      ),
      hvp: flat(
        out,
        p.wrt.map((n) => `hvp/${n}`),
      ),
    });
    await session.release();
  }
  const eg = relErrVec(results[0].grad, results[1].grad);
  const eh = relErrVec(results[0].hvp, results[1].hvp);
  assert.ok(eg < 1e-5, `float32 gradient vs float64 rel ${eg.toExponential(2)} (seed ${BASE_SEED + 5000})`);
  assert.ok(eh < 1e-4, `float32 HVP vs float64 rel ${eh.toExponential(2)} (seed ${BASE_SEED + 5000})`);
});
