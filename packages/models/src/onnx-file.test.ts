import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng, isBiaslabError, createModel } from '@biaslab/core';
import type { Graph, ModelContext } from '@biaslab/core';
import { createOnnxFileModel, onnxFileModel, writeTrainedOnnx } from './onnx-file';
import { formatInspection, inspectOnnxModel } from './onnx-inspect';

const FIXTURES = join(
  fileURLToPath(new URL('.', import.meta.url)),
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'onnx',
);
const fixture = (name: string) => join(FIXTURES, `${name}.onnx`);
const context = (inputShape: number[], outputSize = 3): ModelContext => ({
  inputShape,
  outputSize,
  task: 'regression',
  dtype: 'float64',
  rng: new Rng(0),
});

test('model/onnx: x and the parameters are the inputs, θ₀ the file values, the prediction [N, k]', () => {
  const model = createModel(onnxFileModel, { path: fixture('mlp') }, context([6]));
  assert.deepEqual(
    model.graph.inputs.map((i) => i.name),
    ['x', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'out.weight', 'out.bias'],
  );
  assert.deepEqual(model.graph.inputs[0].shape, ['N', 6]);
  assert.deepEqual(model.graph.outputs[0].shape, ['N', 3]);
  assert.equal(model.layout.size, 6 * 8 + 8 + 8 * 8 + 8 + 8 * 3 + 3);
  assert.equal(model.init.length, model.layout.size);
  const frozen = createModel(onnxFileModel, { path: fixture('mlp'), freeze: ['fc1.*'] }, context([6]));
  assert.deepEqual(
    frozen.layout.slots.filter((s) => !s.trainable).map((s) => s.name),
    ['fc1.weight', 'fc1.bias'],
  );
});

test('model/onnx: flattened data for an image model gets a Reshape; sizes that do not fit are refused', () => {
  const model = createModel(onnxFileModel, { path: fixture('cnn') }, context([64]));
  assert.deepEqual(model.graph.inputs[0].shape, ['N', 64]);
  assert.equal(model.graph.nodes[0].op, 'Reshape');
  const refuse = (ctx: ModelContext, pattern: RegExp) =>
    assert.throws(
      () => createModel(onnxFileModel, { path: fixture('cnn') }, ctx),
      (e: unknown) => isBiaslabError(e, 'SHAPE') && pattern.test((e as Error).message),
    );
  refuse(context([63]), /shape \[63\] \(63 values\).*takes \[1, 8, 8\] \(64 values\)/);
  refuse(context([1, 8, 8], 10), /has shape \[N, 3\]; the dataset needs \[N, 10\]/);
  assert.throws(
    () => createModel(onnxFileModel, { path: join(FIXTURES, 'missing.onnx') }, context([6])),
    (e: unknown) => isBiaslabError(e, 'INVALID_OPTIONS') && /missing\.onnx/.test((e as Error).message),
  );
});

test('model/onnx with rules: an op without a rule fails at creation', () => {
  const strict = createOnnxFileModel({ supportedOps: () => ['Gemm', 'Relu'] });
  assert.throws(
    () => createModel(strict, { path: fixture('mlp') }, context([6])),
    (e: unknown) =>
      isBiaslabError(e, 'NO_RULE') &&
      /`Tanh` \(opset 17\) at node `\/Tanh`; supported ops: Gemm, Relu/.test((e as Error).message),
  );
});

test('writeTrainedOnnx writes θ back; importing the result gives θ (float32-rounded)', () => {
  const model = createModel(onnxFileModel, { path: fixture('mlp') }, context([6]));
  const theta = Float64Array.from(model.init, (v, i) => v + i / 1000);
  const dir = mkdtempSync(join(tmpdir(), 'biaslab-onnx-'));
  const out = join(dir, 'trained.onnx');
  writeFileSync(out, writeTrainedOnnx(new Uint8Array(readFileSync(fixture('mlp'))), model.layout, theta));
  const again = createModel(onnxFileModel, { path: out }, context([6]));
  again.init.forEach((v, i) => assert.equal(v, Math.fround(theta[i]), `θ[${i}]`));
});

test('inspectOnnxModel: inputs, outputs, parameters by layer, ops with rule and float64 status, blockers', () => {
  const rules = {
    supportedOps: () => ['Gemm', 'Relu', 'Flatten', 'MaxPool'],
    float64Blockers: (graph: Graph) =>
      graph.nodes
        .filter((n) => n.op === 'Conv')
        .map((n) => ({ op: n.op, node: n.name, reason: 'no float64 kernel' })),
  };
  const report = inspectOnnxModel(new Uint8Array(readFileSync(fixture('cnn'))), rules);
  assert.deepEqual(report.inputs, [{ name: 'input', dtype: 'float32', shape: ['batch', 1, 8, 8] }]);
  assert.equal(report.parameterCount, 239);
  assert.deepEqual(
    report.layers.map((l) => [l.layer, l.parameters]),
    [
      ['conv1', 40],
      ['conv2', 148],
      ['fc', 51],
    ],
  );
  const conv = report.ops.find((o) => o.op === 'Conv')!;
  assert.deepEqual(conv, { op: 'Conv', count: 2, rule: false, float64: 'no float64 kernel' });
  assert.ok(report.blockers.some((b) => /`Conv`.*2 nodes/.test(b)));
  assert.ok(report.blockers.some((b) => /`AveragePool`/.test(b)));
  const text = formatInspection(report, 'cnn.onnx');
  assert.match(text, /conv2\s+148/);
  assert.match(text, /Conv\s+×2\s+rule: MISSING\s+float64: no float64 kernel/);
  assert.match(text, /training blocked/);
  const mlp = inspectOnnxModel(new Uint8Array(readFileSync(fixture('mlp'))), {
    ...rules,
    supportedOps: () => ['Gemm', 'Relu', 'Tanh'],
  });
  assert.deepEqual(mlp.blockers, []);
  assert.match(formatInspection(mlp), /training: ok\nfloat64: ok/);
});
