// NTK and μP parametrisations of model/mlp: the forward pass equals the README's table computed by hand,
// the initial laws are the stated ones, and at init the pre-activations are O(1) independently of the width
// (with μP's output shrinking like 1/√width), measured on the graph itself at widths 64, 256 and 1024.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, floatTensor, createModel } from '@biaslab/core';
import type { Graph, ModelInstance, Tensor } from '@biaslab/core';
import { mlpModel } from '@biaslab/models';
import { GraphSession, fixBatch } from '@biaslab/runtime';
import { activate, dense } from './reference';

/** Runs the graph at θ and returns the requested values (graph outputs added for inner values). */
async function evaluate(
  model: ModelInstance,
  theta: Float64Array,
  x: Float64Array,
  n: number,
  d: number,
  values: readonly { name: string; width: number }[],
): Promise<Float64Array[]> {
  const graph: Graph = {
    ...model.graph,
    outputs: [
      ...model.graph.outputs,
      ...values
        .filter((v) => v.name !== model.graph.outputs[0].name)
        .map((v) => ({ name: v.name, dtype: 'float64' as const, shape: ['N', v.width] })),
    ],
  };
  const session = await GraphSession.create(fixBatch(graph, n));
  try {
    const feeds: Record<string, Tensor> = { x: floatTensor('float64', [n, d], x) };
    for (const s of model.layout.slots)
      feeds[s.name] = floatTensor('float64', s.shape, model.layout.view(theta, s.name));
    const out = await session.run(feeds);
    return values.map((v) => Float64Array.from(out[v.name].data as Float64Array));
  } finally {
    await session.release();
  }
}

function meanSquare(a: Float64Array): number {
  return a.reduce((s, v) => s + v * v, 0) / a.length;
}

/**
 * The README table by hand, for widths [n₁, …, n_K] on inputs of dimension D:
 * ntk: W_eff = W/√fan_in, b_eff = 0.1·b. mup: input W_eff = √n₁·W, b_eff = √n₁·b; hidden W_eff = W,
 * b_eff = √fan_out·b; output W_eff = W/√fan_in, b_eff = b.
 */
function tableForward(
  parametrization: 'ntk' | 'mup',
  model: ModelInstance,
  theta: Float64Array,
  x: Float64Array,
  n: number,
  widths: readonly number[],
  activation: string,
): Float64Array {
  const names = [...widths.map((_, i) => `fc${i + 1}`), 'out'];
  let h = x;
  names.forEach((name, l) => {
    const [fanOut, fanIn] = model.layout.slot(`${name}.weight`).shape;
    const isOut = name === 'out';
    const [wMul, bMul] =
      parametrization === 'ntk'
        ? [1 / Math.sqrt(fanIn), 0.1]
        : l === 0
          ? [Math.sqrt(fanOut), Math.sqrt(fanOut)]
          : isOut
            ? [1 / Math.sqrt(fanIn), 1]
            : [1, Math.sqrt(fanOut)];
    const W = model.layout.view(theta, `${name}.weight`).map((w) => w * wMul);
    const b = model.layout.view(theta, `${name}.bias`).map((v) => v * bMul);
    const z = dense(h, n, W, b, fanOut);
    h = isOut ? z : z.map((v) => activate(activation, v));
  });
  return h;
}

for (const parametrization of ['ntk', 'mup'] as const) {
  for (const activation of ['tanh', 'relu'] as const) {
    test(`mlp ${parametrization} ${activation}: graph output equals the table's multipliers applied by hand`, async () => {
      const seed = 41;
      const rng = new Rng(seed);
      const widths = [6, 5];
      const model = createModel(
        mlpModel,
        { widths, activation, parametrization },
        { inputShape: [3], outputSize: 2, task: 'regression', dtype: 'float64', rng: rng.fork('init') },
      );
      const n = 7;
      const x = rng.normals(n * 3);
      // A random θ, so the μP zero biases are exercised too.
      const theta = rng.normals(model.layout.size);
      const expected = tableForward(parametrization, model, theta, x, n, widths, activation);
      const [got] = await evaluate(model, theta, x, n, 3, [{ name: 'prediction', width: 2 }]);
      let err = 0;
      for (let i = 0; i < got.length; i++) err = Math.max(err, Math.abs(got[i] - expected[i]));
      assert.ok(err < 1e-12, `max |graph − table| = ${err} (seed ${seed})`);
    });
  }
}

test('mlp init laws: ntk N(0, 1) everywhere; mup N(0, 1/(n·D)) input, N(0, 1/fan_in) hidden and output, zero biases', () => {
  const seed = 43;
  const D = 50;
  const width = 400;
  const context = {
    inputShape: [D],
    outputSize: 10,
    task: 'regression' as const,
    dtype: 'float64' as const,
    rng: new Rng(seed),
  };
  const ntk = createModel(mlpModel, { widths: [width, width], parametrization: 'ntk' }, context);
  const mup = createModel(mlpModel, { widths: [width, width], parametrization: 'mup' }, context);
  const expectVariance = (m: ModelInstance, name: string, variance: number) => {
    const v = m.layout.view(m.init, name);
    const ms = meanSquare(v);
    // sample variance of N(0, σ²) over m draws has relative sd √(2/m); allow 6 of them
    const tol = 6 * Math.sqrt(2 / v.length);
    assert.ok(
      Math.abs(ms / variance - 1) < tol,
      `${name}: mean square ${ms}, expected ${variance} (seed ${seed})`,
    );
  };
  for (const name of ntk.layout.names) expectVariance(ntk, name, 1);
  expectVariance(mup, 'fc1.weight', 1 / (width * D));
  expectVariance(mup, 'fc2.weight', 1 / width);
  expectVariance(mup, 'out.weight', 1 / width);
  for (const name of ['fc1.bias', 'fc2.bias', 'out.bias'])
    assert.ok(
      mup.layout.view(mup.init, name).every((b) => b === 0),
      name,
    );
});

for (const parametrization of ['ntk', 'mup'] as const) {
  for (const activation of ['tanh', 'relu'] as const) {
    test(`mlp ${parametrization} ${activation}: pre-activations at init are O(1) at widths 64, 256, 1024`, async () => {
      const seed = 47;
      const D = 32;
      const n = 128;
      const x = new Rng(seed).normals(n * D);
      const inputMs = meanSquare(x);
      const rows: { width: number; z1: number; z2: number; out: number }[] = [];
      for (const width of [64, 256, 1024]) {
        const model = createModel(
          mlpModel,
          { widths: [width, width], activation, parametrization },
          {
            inputShape: [D],
            outputSize: 4,
            task: 'regression',
            dtype: 'float64',
            rng: new Rng(seed).fork('init'),
          },
        );
        const [z1, z2, out] = await evaluate(model, model.init, x, n, D, [
          { name: 'fc1/preactivation', width },
          { name: 'fc2/preactivation', width },
          { name: 'prediction', width: 4 },
        ]);
        rows.push({ width, z1: meanSquare(z1), z2: meanSquare(z2), out: meanSquare(out) });
      }
      const table = rows
        .map(
          (r) =>
            `n=${r.width}: E z1² ${r.z1.toFixed(3)}, E z2² ${r.z2.toFixed(3)}, E f² ${r.out.toExponential(2)}`,
        )
        .join('; ');
      // layer 1: E z² = E‖x‖²/D (+ 0.01 from NTK's bias 0.1·N(0, 1)), for every width
      const z1Theory = inputMs + (parametrization === 'ntk' ? 0.01 : 0);
      for (const r of rows)
        assert.ok(Math.abs(r.z1 / z1Theory - 1) < 0.25, `z1 vs ${z1Theory}: ${table} (seed ${seed})`);
      const spread = (values: number[]) => Math.max(...values) / Math.min(...values);
      assert.ok(
        spread(rows.map((r) => r.z2)) < 1.35,
        `layer-2 pre-activations depend on width: ${table} (seed ${seed})`,
      );
      for (const r of rows)
        assert.ok(r.z2 > 0.05 && r.z2 < 5, `layer-2 pre-activation not O(1): ${table} (seed ${seed})`);
      if (parametrization === 'ntk') {
        assert.ok(
          spread(rows.map((r) => r.out)) < 2,
          `NTK output scale depends on width: ${table} (seed ${seed})`,
        );
      } else {
        // μP: W_out = w/√n with w ~ N(0, 1/n), so E f² ∝ 1/n: n·E f² is width-independent, E f² is not
        assert.ok(
          spread(rows.map((r) => r.out * r.width)) < 2,
          `μP n·E f² depends on width: ${table} (seed ${seed})`,
        );
        assert.ok(
          rows[2].out < rows[0].out / 6,
          `μP output does not shrink like 1/n: ${table} (seed ${seed})`,
        );
      }
      console.log(`# ${parametrization} ${activation}: ${table}`);
    });
  }
}
