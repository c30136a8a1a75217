// Executes the cnn, resnet and vit graphs on onnxruntime and compares them with forward passes written as
// explicit loops (conv as a 7-deep loop, pooling by windows, BatchNorm and LayerNorm from their definitions,
// attention per head and token) over the PyTorch/timm-named parameters. Small sizes, random θ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, floatTensor } from '@biaslab/core';
import type { FloatDType, ModelComponent, ModelInstance, Tensor } from '@biaslab/core';
import { cnnModel, resnetModel, vitModel } from '@biaslab/models';
import type { ResolvedCnnOptions, ResolvedResnetOptions, ResolvedVitOptions } from '@biaslab/models';
import { GraphSession, fixBatch } from '@biaslab/runtime';
import {
  activate,
  add,
  attention,
  batchNorm,
  conv2d,
  dense,
  layerNorm,
  mapInPlace,
  pool2,
} from './reference';
import type { Params } from './reference';

/** LayerNorm's ε as the graph stores it: ONNX float attributes are float32. */
const LN_EPSILON = Math.fround(1e-5);

async function run(
  model: ModelInstance,
  theta: Float64Array,
  x: Float64Array,
  n: number,
  shape: number[],
  dtype: FloatDType,
) {
  const session = await GraphSession.create(fixBatch(model.graph, n));
  try {
    const feeds: Record<string, Tensor> = { x: floatTensor(dtype, [n, ...shape], x) };
    for (const s of model.layout.slots)
      feeds[s.name] = floatTensor(dtype, s.shape, model.layout.view(theta, s.name));
    const out = await session.run(feeds);
    const y = out[model.graph.outputs[0].name];
    return { shape: y.shape, values: Float64Array.from(y.data as Float64Array) };
  } finally {
    await session.release();
  }
}

function cnnReference(
  o: ResolvedCnnOptions,
  p: Params,
  x: Float64Array,
  shape: number[],
  k: number,
): Float64Array {
  let h: Float64Array = x;
  let s = shape.length === 3 ? [0, ...shape] : [0, 1, ...shape];
  s[0] = x.length / (s[1] * s[2] * s[3]);
  o.channels.forEach((O, l) => {
    const conv = conv2d(h, s, p(`conv${l + 1}.weight`), o.batchNorm ? undefined : p(`conv${l + 1}.bias`), [
      O,
      3,
      1,
      1,
    ]);
    h = o.batchNorm ? batchNorm(conv.y, conv.shape, p(`bn${l + 1}.weight`), p(`bn${l + 1}.bias`)) : conv.y;
    mapInPlace(h, (v) => activate(o.activation, v));
    const pooled = pool2(h, conv.shape, o.pooling);
    h = pooled.y;
    s = pooled.shape;
  });
  return dense(h, s[0], p('fc.weight'), p('fc.bias'), k);
}

function resnetReference(
  o: ResolvedResnetOptions,
  p: Params,
  x: Float64Array,
  shape: number[],
  k: number,
): Float64Array {
  const n = x.length / shape.reduce((a, b) => a * b, 1);
  const act = (v: Float64Array) => mapInPlace(v, (z) => activate(o.activation, z));
  const convBn = (
    conv: string,
    bn: string,
    h: Float64Array,
    s: number[],
    out: number,
    kernel: number,
    stride: number,
  ) => {
    const c = conv2d(h, s, p(`${conv}.weight`), o.batchNorm ? undefined : p(`${conv}.bias`), [
      out,
      kernel,
      stride,
      kernel === 3 ? 1 : 0,
    ]);
    return {
      y: o.batchNorm ? batchNorm(c.y, c.shape, p(`${bn}.weight`), p(`${bn}.bias`)) : c.y,
      shape: c.shape,
    };
  };
  let f = convBn('conv1', 'bn1', x, [n, ...shape], o.width, 3, 1);
  f.y = act(f.y);
  for (let st = 1; st <= o.stages; st++) {
    const planes = o.width * 2 ** (st - 1);
    for (let b = 0; b < o.blocks; b++) {
      const pre = `layer${st}.${b}`;
      const stride = st > 1 && b === 0 ? 2 : 1;
      const a = convBn(`${pre}.conv1`, `${pre}.bn1`, f.y, f.shape, planes, 3, stride);
      const r = convBn(`${pre}.conv2`, `${pre}.bn2`, act(a.y), a.shape, planes, 3, 1);
      const shortcut =
        stride !== 1 || f.shape[1] !== planes
          ? convBn(`${pre}.downsample.0`, `${pre}.downsample.1`, f.y, f.shape, planes, 1, stride).y
          : f.y;
      f = { y: act(add(r.y, shortcut)), shape: r.shape };
    }
  }
  const [, C, H, W] = f.shape;
  const pooled = new Float64Array(n * C);
  for (let i = 0; i < n * C; i++) for (let j = 0; j < H * W; j++) pooled[i] += f.y[i * H * W + j] / (H * W);
  return dense(pooled, n, p('fc.weight'), p('fc.bias'), k);
}

function vitReference(
  o: ResolvedVitOptions,
  p: Params,
  x: Float64Array,
  shape: number[],
  k: number,
): Float64Array {
  const [C, H, W] = shape.length === 3 ? shape : [1, ...shape];
  const n = x.length / (C * H * W);
  const P = o.patchSize;
  const D = o.dim;
  const [gh, gw] = [Math.floor(H / P), Math.floor(W / P)];
  const T = gh * gw + (o.pool === 'cls' ? 1 : 0);
  const hidden = Math.round(o.mlpRatio * D);
  const out = new Float64Array(n * k);
  for (let s = 0; s < n; s++) {
    // patch (r, q) as the vector over (c, i, j), embedded by W [D, C·P·P]
    const patches = new Float64Array(gh * gw * C * P * P);
    for (let r = 0; r < gh; r++)
      for (let q = 0; q < gw; q++)
        for (let c = 0; c < C; c++)
          for (let i = 0; i < P; i++)
            for (let j = 0; j < P; j++)
              patches[(((r * gw + q) * C + c) * P + i) * P + j] =
                x[((s * C + c) * H + r * P + i) * W + q * P + j];
    const embedded = dense(patches, gh * gw, p('patch_embed.proj.weight'), p('patch_embed.proj.bias'), D);
    let h: Float64Array = new Float64Array(T * D);
    if (o.pool === 'cls') {
      h.set(p('cls_token'), 0);
      h.set(embedded, D);
    } else h.set(embedded);
    h = add(h, p('pos_embed'));
    for (let b = 0; b < o.depth; b++) {
      const pre = `blocks.${b}`;
      h = add(
        h,
        attention(
          layerNorm(h, D, p(`${pre}.norm1.weight`), p(`${pre}.norm1.bias`), LN_EPSILON),
          T,
          D,
          o.heads,
          p,
          `${pre}.attn`,
        ),
      );
      const m = mapInPlace(
        dense(
          layerNorm(h, D, p(`${pre}.norm2.weight`), p(`${pre}.norm2.bias`), LN_EPSILON),
          T,
          p(`${pre}.mlp.fc1.weight`),
          p(`${pre}.mlp.fc1.bias`),
          hidden,
        ),
        (z) => activate(o.activation, z),
      );
      h = add(h, dense(m, T, p(`${pre}.mlp.fc2.weight`), p(`${pre}.mlp.fc2.bias`), D));
    }
    h = layerNorm(h, D, p('norm.weight'), p('norm.bias'), LN_EPSILON);
    const pooled = new Float64Array(D);
    if (o.pool === 'cls') pooled.set(h.subarray(0, D));
    else for (let t = 0; t < T; t++) for (let i = 0; i < D; i++) pooled[i] += h[t * D + i] / T;
    out.set(dense(pooled, 1, p('head.weight'), p('head.bias'), k), s * k);
  }
  return out;
}

interface Case {
  readonly component: ModelComponent;
  readonly options: Record<string, unknown>;
  readonly shape: number[];
  readonly reference: (o: any, p: Params, x: Float64Array, shape: number[], k: number) => Float64Array;
  readonly dtype?: FloatDType;
}

const CASES: Case[] = [
  { component: cnnModel, options: { channels: [4, 3] }, shape: [2, 6, 6], reference: cnnReference },
  {
    component: cnnModel,
    options: { channels: [4, 3], pooling: 'avg', activation: 'tanh' },
    shape: [2, 7, 5],
    reference: cnnReference,
  },
  {
    component: cnnModel,
    options: { channels: [3, 4], batchNorm: true },
    shape: [6, 6],
    reference: cnnReference,
  },
  {
    component: cnnModel,
    options: { channels: [5], batchNorm: true, pooling: 'avg', activation: 'elu' },
    shape: [3, 4, 4],
    reference: cnnReference,
  },
  {
    component: cnnModel,
    options: { channels: [4, 3] },
    shape: [2, 6, 6],
    reference: cnnReference,
    dtype: 'float32',
  },
  {
    component: resnetModel,
    options: { width: 3, stages: 2, blocks: 2 },
    shape: [2, 6, 6],
    reference: resnetReference,
  },
  {
    component: resnetModel,
    options: { width: 2, stages: 3, blocks: 1, batchNorm: false },
    shape: [3, 7, 8],
    reference: resnetReference,
  },
  {
    component: resnetModel,
    options: { width: 3, stages: 2, blocks: 1 },
    shape: [2, 6, 6],
    reference: resnetReference,
    dtype: 'float32',
  },
  {
    component: vitModel,
    options: { dim: 8, heads: 2, depth: 2, patchSize: 2 },
    shape: [2, 4, 6],
    reference: vitReference,
  },
  {
    component: vitModel,
    options: { dim: 6, heads: 3, depth: 1, patchSize: 3, pool: 'mean', mlpRatio: 1.5 },
    shape: [7, 6],
    reference: vitReference,
  },
  {
    component: vitModel,
    options: { dim: 8, heads: 2, depth: 1, patchSize: 2, activation: 'gelu-erf' },
    shape: [2, 4, 4],
    reference: vitReference,
    dtype: 'float32',
  },
];

for (const c of CASES) {
  const dtype = c.dtype ?? 'float64';
  test(`${c.component.name} ${JSON.stringify(c.options)} on [N, ${c.shape.join(', ')}] (${dtype}): graph equals the loop forward pass`, async () => {
    const seed = 53;
    const rng = new Rng(seed);
    const n = 3;
    const k = 4;
    const options = c.component.options.parse(c.options);
    const model = c.component.create(options, {
      inputShape: c.shape,
      outputSize: k,
      task: 'classification',
      dtype,
      rng: rng.fork('init'),
    });
    // θ₀ and a random θ (γ ≠ 1, β ≠ 0, large weights where kinks and saturation matter), scaled to keep values O(1)
    for (const theta of [model.init, rng.normals(model.layout.size).map((v) => 0.5 * v)]) {
      const x = rng.normals(n * c.shape.reduce((a, b) => a * b, 1));
      const p: Params = (name) => model.layout.view(theta, name);
      const expected = c.reference(options, p, x, c.shape, k);
      const { shape, values } = await run(model, theta, x, n, c.shape, dtype);
      assert.deepEqual(shape, [n, k]);
      const scale = Math.max(1, ...expected.map(Math.abs));
      let err = 0;
      for (let i = 0; i < values.length; i++) err = Math.max(err, Math.abs(values[i] - expected[i]));
      const tol = dtype === 'float64' ? 1e-11 : 1e-4;
      assert.ok(err < tol * scale, `max |graph − loops| = ${err} (scale ${scale}, seed ${seed})`);
    }
  });
}
