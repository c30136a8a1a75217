import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError, parseOptions, createModel } from '@biaslab/core';
import type { ModelComponent, ModelContext, ModelInstance } from '@biaslab/core';
import { cnnModel } from './cnn';
import { resnetModel } from './resnet';
import { vitModel } from './vit';

function context(inputShape: number[], seed = 3, outputSize = 10): ModelContext {
  return { inputShape, outputSize, task: 'classification', dtype: 'float32', rng: new Rng(seed) };
}

/** Every value of `name` lies in [−1/√fanIn, 1/√fanIn] (PyTorch's default for Linear and Conv2d). */
function assertTorchUniform(m: ModelInstance, name: string, fanIn: number, seed: number): void {
  const bound = 1 / Math.sqrt(fanIn);
  const values = m.layout.view(m.init, name);
  assert.ok(
    values.every((v) => Math.abs(v) <= bound),
    `${name}: a value exceeds 1/√${fanIn} (seed ${seed})`,
  );
  assert.ok(
    Math.max(...values.map(Math.abs)) > 0.5 * bound,
    `${name}: values far below the bound 1/√${fanIn} (seed ${seed})`,
  );
}

test('image models: every option has a description and defaults are the documented ones', () => {
  for (const c of [cnnModel, resnetModel, vitModel] as ModelComponent[]) {
    for (const [key, schema] of Object.entries(
      (c.options as unknown as { shape: Record<string, { description?: string }> }).shape,
    ))
      assert.ok(
        schema.description && schema.description.length > 10,
        `${c.name}: option \`${key}\` has no description`,
      );
  }
  assert.deepEqual(parseOptions(cnnModel.options, {}, 'model/cnn'), {
    channels: [32, 32],
    pooling: 'max',
    batchNorm: false,
    activation: 'relu',
  });
  assert.deepEqual(parseOptions(resnetModel.options, {}, 'model/resnet'), {
    blocks: 1,
    width: 16,
    stages: 3,
    batchNorm: true,
    activation: 'relu',
  });
  assert.deepEqual(parseOptions(vitModel.options, {}, 'model/vit'), {
    patchSize: 4,
    dim: 64,
    depth: 2,
    heads: 4,
    mlpRatio: 2,
    pool: 'cls',
    activation: 'gelu',
  });
});

test('cnn layout: PyTorch names and shapes, PyTorch-default init, BN convs without bias', () => {
  const seed = 3;
  const m = createModel(cnnModel, {}, context([3, 32, 32], seed));
  assert.deepEqual(
    m.layout.slots.map((s) => [s.name, s.shape]),
    [
      ['conv1.weight', [32, 3, 3, 3]],
      ['conv1.bias', [32]],
      ['conv2.weight', [32, 32, 3, 3]],
      ['conv2.bias', [32]],
      ['fc.weight', [10, 32 * 8 * 8]],
      ['fc.bias', [10]],
    ],
  );
  assertTorchUniform(m, 'conv1.weight', 27, seed);
  assertTorchUniform(m, 'conv2.weight', 288, seed);
  assertTorchUniform(m, 'fc.weight', 2048, seed);
  const bn = createModel(cnnModel, { batchNorm: true, channels: [8] }, context([28, 28], seed));
  assert.deepEqual(bn.layout.names, ['conv1.weight', 'bn1.weight', 'bn1.bias', 'fc.weight', 'fc.bias']);
  assert.deepEqual(bn.layout.slot('fc.weight').shape, [10, 8 * 14 * 14]);
  assert.ok(bn.layout.view(bn.init, 'bn1.weight').every((v) => v === 1));
  assert.ok(bn.layout.view(bn.init, 'bn1.bias').every((v) => v === 0));
  assert.ok(
    !bn.graph.nodes.some((n) => n.op === 'Conv' || n.op.endsWith('Pool')),
    'no Conv/pool ops (no float64 kernels)',
  );
});

test('resnet layout: torchvision names, 1×1 projection shortcuts only where the shape changes', () => {
  const m = createModel(resnetModel, { width: 4, stages: 2, blocks: 2 }, context([3, 8, 8]));
  const names = m.layout.names;
  assert.deepEqual(names.slice(0, 3), ['conv1.weight', 'bn1.weight', 'bn1.bias']);
  assert.ok(names.includes('layer1.1.conv2.weight'));
  assert.ok(
    !names.some((n) => n.startsWith('layer1.') && n.includes('downsample')),
    'stage 1 keeps the shape: identity shortcuts',
  );
  assert.ok(!names.some((n) => n.startsWith('layer2.1.downsample')), 'second block of stage 2: identity');
  assert.deepEqual(m.layout.slot('layer2.0.downsample.0.weight').shape, [8, 4, 1, 1]);
  assert.deepEqual(m.layout.slot('layer2.0.downsample.1.weight').shape, [8]);
  assert.deepEqual(m.layout.slot('layer2.0.conv1.weight').shape, [8, 4, 3, 3]);
  assert.deepEqual(names.slice(-2), ['fc.weight', 'fc.bias']);
  assert.deepEqual(m.layout.slot('fc.weight').shape, [10, 8]);
  assert.ok(!names.some((n) => /conv\d\.bias/.test(n)), 'convs before BatchNorm have no bias');
  const plain = createModel(resnetModel, { width: 4, stages: 2, batchNorm: false }, context([3, 8, 8]));
  assert.ok(!plain.layout.names.some((n) => n.includes('bn')));
  assert.ok(plain.layout.names.includes('layer2.0.downsample.0.bias'));
  assert.ok(!plain.layout.names.includes('layer2.0.downsample.1.weight'));
});

test('vit layout: timm names and shapes; cls token and position embedding ~ N(0, 0.02²)', () => {
  const seed = 7;
  const m = createModel(vitModel, { dim: 64, heads: 4, depth: 2, patchSize: 4 }, context([3, 32, 32], seed));
  const shapes = Object.fromEntries(m.layout.slots.map((s) => [s.name, s.shape]));
  assert.deepEqual(m.layout.names.slice(0, 4), [
    'cls_token',
    'pos_embed',
    'patch_embed.proj.weight',
    'patch_embed.proj.bias',
  ]);
  assert.deepEqual(shapes['pos_embed'], [1, 65, 64]);
  assert.deepEqual(shapes['patch_embed.proj.weight'], [64, 3, 4, 4]);
  assert.deepEqual(shapes['blocks.1.attn.qkv.weight'], [192, 64]);
  assert.deepEqual(shapes['blocks.1.attn.proj.weight'], [64, 64]);
  assert.deepEqual(shapes['blocks.0.mlp.fc1.weight'], [128, 64]);
  assert.deepEqual(shapes['blocks.0.mlp.fc2.weight'], [64, 128]);
  assert.deepEqual(m.layout.names.slice(-4), ['norm.weight', 'norm.bias', 'head.weight', 'head.bias']);
  const pos = m.layout.view(m.init, 'pos_embed');
  const ms = pos.reduce((a, v) => a + v * v, 0) / pos.length;
  // 4160 normal draws: relative sd of the mean square √(2/4160) ≈ 0.022
  assert.ok(Math.abs(ms / 0.02 ** 2 - 1) < 0.15, `pos_embed mean square ${ms} (seed ${seed})`);
  assertTorchUniform(m, 'patch_embed.proj.weight', 48, seed);
  assertTorchUniform(m, 'blocks.0.attn.qkv.weight', 64, seed);
  const mean = createModel(
    vitModel,
    { dim: 8, heads: 2, pool: 'mean', patchSize: 4 },
    context([28, 28], seed),
  );
  assert.ok(!mean.layout.names.includes('cls_token'));
  assert.deepEqual(mean.layout.slot('pos_embed').shape, [1, 49, 8]);
});

test('image models refuse vector inputs, images too small for their pooling and heads that do not divide dim', () => {
  const shape = (e: unknown, pattern: RegExp) =>
    isBiaslabError(e, 'SHAPE') && pattern.test((e as Error).message);
  assert.throws(
    () => createModel(cnnModel, {}, context([784])),
    (e: unknown) => shape(e, /\[C, H, W\]/),
  );
  assert.throws(
    () => createModel(cnnModel, { channels: [2, 2, 2] }, context([1, 4, 4])),
    (e: unknown) => shape(e, /fewer layers/),
  );
  assert.throws(
    () => createModel(resnetModel, { stages: 4 }, context([3, 4, 4])),
    (e: unknown) => shape(e, /fewer `stages`/),
  );
  assert.throws(
    () => createModel(vitModel, { dim: 6, heads: 4 }, context([3, 8, 8])),
    (e: unknown) => shape(e, /divide `dim`/),
  );
  assert.throws(
    () => createModel(vitModel, { patchSize: 9 }, context([3, 8, 8])),
    (e: unknown) => shape(e, /smaller `patchSize`/),
  );
});
