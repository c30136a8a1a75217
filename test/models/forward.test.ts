// Executes the dln and mlp graphs on onnxruntime and compares their output with an independent
// JavaScript forward pass (dln: ⟨β, x⟩; mlp: explicit loops over PyTorch-layout weights). The image models
// are checked in image-forward.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, floatTensor, createModel } from '@biaslab/core';
import type { FloatDType, Graph, ModelInstance, Tensor } from '@biaslab/core';
import { dlnModel, linearModel, mlpModel } from '@biaslab/models';
import type { DlnParametrization, ResolvedMlpOptions } from '@biaslab/models';
import { activate } from './reference';
import { GraphSession } from '@biaslab/runtime';

/** The graph with the symbolic batch dimension `N` replaced by `n` in its inputs and outputs. */
function withBatch(graph: Graph, n: number): Graph {
  const fix = (shape: readonly (number | string)[]) => shape.map((dim) => (dim === 'N' ? n : dim));
  return {
    ...graph,
    inputs: graph.inputs.map((i) => ({ ...i, shape: fix(i.shape) })),
    outputs: graph.outputs.map((o) => ({ ...o, shape: fix(o.shape) })),
  };
}

/** Runs a model's graph on x [n, ...inputShape] at θ and returns the prediction as float64 numbers. */
async function runModel(
  model: ModelInstance,
  x: Float64Array,
  n: number,
  inputShape: readonly number[],
  theta: Float64Array,
  dtype: FloatDType,
): Promise<{ shape: readonly number[]; values: Float64Array }> {
  const session = await GraphSession.create(withBatch(model.graph, n));
  try {
    const feeds: Record<string, Tensor> = { x: floatTensor(dtype, [n, ...inputShape], x) };
    for (const slot of model.layout.slots)
      feeds[slot.name] = floatTensor(dtype, slot.shape, model.layout.view(theta, slot.name));
    const out = await session.run(feeds);
    const prediction = out[model.graph.outputs[0].name];
    assert.equal(prediction.dtype, dtype);
    return { shape: prediction.shape, values: Float64Array.from(prediction.data as Float64Array) };
  } finally {
    await session.release();
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

for (const parametrization of ['shared', 'signed', 'unshared'] as DlnParametrization[]) {
  for (const dtype of ['float64', 'float32'] as FloatDType[]) {
    test(`dln ${parametrization} (${dtype}): graph output equals ⟨β, x⟩`, async () => {
      const seed = 21;
      const rng = new Rng(seed);
      const n = 7;
      const d = 5;
      const model = createModel(
        dlnModel,
        { parametrization, alpha: 0.5, depth: 2 },
        {
          inputShape: [d],
          outputSize: 1,
          task: 'regression',
          dtype,
          rng: rng.fork('init'),
        },
      );
      // A random θ rather than θ₀, so every parametrisation has a nonzero, non-constant β.
      const theta = rng.normals(model.layout.size);
      const x = rng.normals(n * d);
      const beta = model.predictor!(theta);
      // β from the raw parameters, independently of the model's predictor.
      const p = (name: string) => model.layout.view(theta, name);
      const betaCheck = Float64Array.from({ length: d }, (_, i) =>
        parametrization === 'shared'
          ? p('w')[i] ** 2
          : parametrization === 'signed'
            ? p('u')[i] ** 2 - p('v')[i] ** 2
            : p('u')[i] * p('v')[i],
      );
      assert.ok(maxAbsDiff(beta, betaCheck) < 1e-15, `predictor disagrees with the formula (seed ${seed})`);
      const expected = new Float64Array(n);
      for (let s = 0; s < n; s++) for (let i = 0; i < d; i++) expected[s] += x[s * d + i] * betaCheck[i];
      const { shape, values } = await runModel(model, x, n, [d], theta, dtype);
      assert.deepEqual(shape, [n, 1]);
      const tol = dtype === 'float64' ? 1e-13 : 1e-5;
      const err = maxAbsDiff(values, expected);
      assert.ok(err < tol, `max |graph − ⟨β, x⟩| = ${err} ≥ ${tol} (seed ${seed})`);
    });
  }
}

/** The MLP forward pass with explicit loops over PyTorch-layout weights W [out, in] and biases b [out]. */
function mlpForward(
  model: ModelInstance,
  theta: Float64Array,
  x: Float64Array,
  n: number,
  options: Pick<ResolvedMlpOptions, 'widths' | 'activation' | 'bias'>,
): Float64Array {
  const layers = [...options.widths.map((_, i) => `fc${i + 1}`), 'out'];
  let h = x;
  let width = x.length / n;
  for (const name of layers) {
    const weight = model.layout.slot(`${name}.weight`);
    const [fanOut, fanIn] = weight.shape;
    assert.equal(fanIn, width);
    const W = model.layout.view(theta, weight.name);
    const b = options.bias ? model.layout.view(theta, `${name}.bias`) : new Float64Array(fanOut);
    const next = new Float64Array(n * fanOut);
    for (let s = 0; s < n; s++) {
      for (let o = 0; o < fanOut; o++) {
        let z = b[o];
        for (let i = 0; i < fanIn; i++) z += W[o * fanIn + i] * h[s * fanIn + i];
        next[s * fanOut + o] = name === 'out' ? z : activate(options.activation, z);
      }
    }
    h = next;
    width = fanOut;
  }
  return h;
}

const MLP_CASES: {
  options: Pick<ResolvedMlpOptions, 'widths' | 'activation' | 'bias'>;
  inputShape: number[];
  outputSize: number;
}[] = [
  { options: { widths: [6, 5], activation: 'tanh', bias: true }, inputShape: [4], outputSize: 3 },
  { options: { widths: [6, 5], activation: 'tanh', bias: false }, inputShape: [4], outputSize: 3 },
  { options: { widths: [8], activation: 'relu', bias: true }, inputShape: [2, 3], outputSize: 2 },
  { options: { widths: [8], activation: 'relu', bias: false }, inputShape: [2, 3], outputSize: 2 },
  { options: { widths: [], activation: 'tanh', bias: true }, inputShape: [3, 2, 2], outputSize: 1 },
  { options: { widths: [7, 5], activation: 'gelu', bias: true }, inputShape: [4], outputSize: 2 },
  { options: { widths: [7], activation: 'elu', bias: true }, inputShape: [4], outputSize: 2 },
  { options: { widths: [7], activation: 'softplus', bias: false }, inputShape: [4], outputSize: 2 },
  { options: { widths: [7, 3], activation: 'identity', bias: true }, inputShape: [4], outputSize: 2 },
];

for (const c of MLP_CASES) {
  test(`mlp ${JSON.stringify(c.options)} on [N, ${c.inputShape.join(', ')}]: graph output equals the loop forward pass`, async () => {
    const seed = 5;
    const rng = new Rng(seed);
    const n = 9;
    const model = createModel(mlpModel, c.options, {
      inputShape: c.inputShape,
      outputSize: c.outputSize,
      task: 'regression',
      dtype: 'float64',
      rng: rng.fork('init'),
    });
    // θ₀ is PyTorch-scaled and small; also check a larger random θ where relu kinks and tanh saturation matter.
    for (const theta of [model.init, rng.normals(model.layout.size)]) {
      const x = rng.normals(n * c.inputShape.reduce((a, b) => a * b, 1));
      const expected = mlpForward(model, theta, x, n, c.options);
      const { shape, values } = await runModel(model, x, n, c.inputShape, theta, 'float64');
      assert.deepEqual(shape, [n, c.outputSize]);
      const scale = Math.max(1, ...expected.map(Math.abs));
      const err = maxAbsDiff(values, expected);
      assert.ok(err < 1e-12 * scale, `max |graph − loops| = ${err} (seed ${seed})`);
    }
  });
}

for (const parametrization of ['shared', 'signed', 'unshared'] as DlnParametrization[]) {
  for (const depth of [3, 4]) {
    test(`dln ${parametrization} depth ${depth}: graph output equals ⟨β, x⟩ with β from the depth-L formula`, async () => {
      const seed = 23;
      const rng = new Rng(seed);
      const n = 6;
      const d = 4;
      const model = createModel(
        dlnModel,
        { parametrization, alpha: 0.5, depth, initShape: 'balanced' },
        { inputShape: [d], outputSize: 1, task: 'regression', dtype: 'float64', rng: rng.fork('init') },
      );
      const theta = rng.normals(model.layout.size);
      const p = (name: string) => model.layout.view(theta, name);
      // β_i = w_i^L, u_i^L − v_i^L, or Π_l u_l,i
      const beta = Float64Array.from({ length: d }, (_, i) =>
        parametrization === 'shared'
          ? p('w')[i] ** depth
          : parametrization === 'signed'
            ? p('u')[i] ** depth - p('v')[i] ** depth
            : Array.from({ length: depth }, (_, l) => p(`u${l + 1}`)[i]).reduce((a, b) => a * b, 1),
      );
      assert.ok(maxAbsDiff(model.predictor!(theta), beta) < 1e-14, `predictor (seed ${seed})`);
      const x = rng.normals(n * d);
      const expected = Float64Array.from({ length: n }, (_, s) =>
        beta.reduce((acc, b, i) => acc + b * x[s * d + i], 0),
      );
      const { values } = await runModel(model, x, n, [d], theta, 'float64');
      const err = maxAbsDiff(values, expected);
      assert.ok(
        err < 1e-13 * Math.max(1, ...expected.map(Math.abs)),
        `max |graph − ⟨β, x⟩| = ${err} (seed ${seed})`,
      );
    });
  }
}

for (const outputSize of [1, 3]) {
  for (const bias of [true, false]) {
    test(`linear (${outputSize} outputs, bias ${bias}): graph output equals x Wᵀ + b on flattened inputs`, async () => {
      const seed = 31;
      const rng = new Rng(seed);
      const n = 5;
      const inputShape = [2, 3];
      const model = createModel(
        linearModel,
        { bias },
        { inputShape, outputSize, task: 'regression', dtype: 'float64', rng: rng.fork('init') },
      );
      const theta = rng.normals(model.layout.size);
      const x = rng.normals(n * 6);
      const W = model.layout.view(theta, 'weight');
      const b = bias ? model.layout.view(theta, 'bias') : undefined;
      const expected = new Float64Array(n * outputSize);
      for (let s = 0; s < n; s++)
        for (let o = 0; o < outputSize; o++) {
          expected[s * outputSize + o] = b ? b[o] : 0;
          for (let i = 0; i < 6; i++) expected[s * outputSize + o] += W[o * 6 + i] * x[s * 6 + i];
        }
      const { shape, values } = await runModel(model, x, n, inputShape, theta, 'float64');
      assert.deepEqual(shape, [n, outputSize]);
      const err = maxAbsDiff(values, expected);
      assert.ok(err < 1e-13, `max |graph − (x Wᵀ + b)| = ${err} (seed ${seed})`);
      if (outputSize === 1) assert.deepEqual(model.predictor!(theta), Float64Array.from(W));
      else assert.equal(model.predictor, undefined);
    });
  }
}

test('mlp gelu-erf (float32; onnxruntime has no float64 Erf): graph output equals the loop forward pass', async () => {
  const seed = 37;
  const rng = new Rng(seed);
  const n = 6;
  const options = { widths: [7, 5], activation: 'gelu-erf' as const, bias: true };
  const model = createModel(mlpModel, options, {
    inputShape: [4],
    outputSize: 2,
    task: 'regression',
    dtype: 'float32',
    rng: rng.fork('init'),
  });
  const theta = rng.normals(model.layout.size);
  const x = rng.normals(n * 4);
  const expected = mlpForward(model, theta, x, n, options);
  const { values } = await runModel(model, x, n, [4], theta, 'float32');
  const err = maxAbsDiff(values, expected);
  assert.ok(
    err < 1e-4 * Math.max(1, ...expected.map(Math.abs)),
    `max |graph − loops| = ${err} (seed ${seed})`,
  );
});
