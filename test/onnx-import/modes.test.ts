// Explicit train/eval behaviour: BatchNormalization normalises with running statistics (eval) or with the
// statistics of the batch (train, biased variance as PyTorch's forward), checked against a direct computation;
// Dropout is the identity in eval mode and refused in train mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError } from '@biaslab/core';
import type { Tensor } from '@biaslab/core';
import { GraphBuilder, attr, encodeModel, importOnnxModel } from '@biaslab/onnx';
import { GraphSession, fixBatch } from '@biaslab/runtime';
import { OPS } from '@biaslab/autodiff';

const [N, C, S] = [3, 2, 4];
const GAMMA = [1.5, -0.5];
const BETA = [0.25, 1];
const MEAN = [0.3, -0.2];
const VAR = [0.8, 1.7];
const EPS = 1e-3;

/** BatchNormalization → Dropout(ratio) → Flatten. */
function bnModel(ratio: number): Uint8Array {
  const g = new GraphBuilder('bn', 17);
  const input = g.addInput('input', 'float32', ['batch', C, S]);
  const c = (name: string, v: number[]) =>
    g.constant({ dtype: 'float32', shape: [C], data: Float32Array.from(v) }, name);
  const y = g.op(
    'BatchNormalization',
    [input, c('bn.weight', GAMMA), c('bn.bias', BETA), c('bn.running_mean', MEAN), c('bn.running_var', VAR)],
    {
      epsilon: attr.float(EPS),
      training_mode: attr.int(0),
    },
  );
  const d = g.op(
    'Dropout',
    [y, g.constant({ dtype: 'float32', shape: [], data: Float32Array.of(ratio) }, 'ratio')],
    {},
    'dropped',
  );
  g.addOutput(g.op('Flatten', [d], {}, 'output'), 'float32', ['batch', C * S]);
  return encodeModel(g.build());
}

async function forward(mode: 'eval' | 'train', x: Float64Array): Promise<Float64Array> {
  const model = importOnnxModel(bnModel(0), { ops: OPS, mode, train: ['bn.weight', 'bn.bias'] });
  const session = await GraphSession.create(fixBatch(model.graph, N));
  const feeds: Record<string, Tensor> = {
    x: { dtype: 'float32', shape: [N, C, S], data: Float32Array.from(x) },
  };
  for (const s of model.layout.slots)
    feeds[s.name] = {
      dtype: 'float32',
      shape: s.shape,
      data: Float32Array.from(model.layout.view(model.init, s.name)),
    };
  const out = await session.run(feeds);
  await session.release();
  return Float64Array.from(out[model.graph.outputs[0].name].data as Float32Array);
}

test('BatchNormalization: running statistics in eval mode, batch statistics in train mode', async () => {
  const seed = 5;
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: N * C * S }, () => 2 * rng.normal() + 0.5);
  const at = (n: number, c: number, s: number) => x[(n * C + c) * S + s];
  const expected = (mode: 'eval' | 'train') => {
    const out = new Float64Array(x.length);
    for (let c = 0; c < C; c++) {
      let [mu, v] = [MEAN[c], VAR[c]];
      if (mode === 'train') {
        const vals: number[] = [];
        for (let n = 0; n < N; n++) for (let s = 0; s < S; s++) vals.push(at(n, c, s));
        mu = vals.reduce((a, b) => a + b, 0) / vals.length;
        v = vals.reduce((a, b) => a + (b - mu) ** 2, 0) / vals.length;
      }
      for (let n = 0; n < N; n++)
        for (let s = 0; s < S; s++)
          out[(n * C + c) * S + s] = ((at(n, c, s) - mu) / Math.sqrt(v + EPS)) * GAMMA[c] + BETA[c];
    }
    return out;
  };
  for (const mode of ['eval', 'train'] as const) {
    const got = await forward(mode, x);
    const want = expected(mode);
    got.forEach((g, i) =>
      assert.ok(Math.abs(g - want[i]) < 1e-5, `${mode} [${i}]: ${g} vs ${want[i]} (seed ${seed})`),
    );
  }
});

test('Dropout with a positive ratio is refused in train mode and is the identity in eval mode', () => {
  assert.ok(!importOnnxModel(bnModel(0.25), { ops: OPS }).graph.nodes.some((n) => n.op === 'Dropout'));
  assert.throws(
    () => importOnnxModel(bnModel(0.25), { ops: OPS, mode: 'train' }),
    (e: unknown) =>
      isBiaslabError(e, 'NO_RULE') && /ratio `0\.25` and `mode` is `train`/.test((e as Error).message),
  );
});
