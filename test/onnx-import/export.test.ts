// Writing trained parameters back into the model file: onnxruntime runs the exported file (the original graph,
// untouched but for the initializer values) and its forward pass equals biaslab's forward pass of the imported
// graph at the same θ; re-importing the exported file gives back θ; nothing but the values changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import type { Tensor } from '@biaslab/core';
import { decodeModel, importOnnxModel, writeOnnxParams, GraphBuilder, encodeModel } from '@biaslab/onnx';
import { GraphSession } from '@biaslab/runtime';
import { FIXTURES, fixtureBytes, fixtureModel, reference } from './fixtures';
import { OPS } from '@biaslab/autodiff';

const SEED = 11;

for (const name of FIXTURES) {
  test(`${name}: onnxruntime on the exported file equals biaslab's forward pass at the trained θ (seed ${SEED})`, async () => {
    const ref = reference(name);
    const model = fixtureModel(name);
    const rng = new Rng(SEED);
    const theta = Float64Array.from(model.init, (v) => v + 0.1 * rng.normal());
    const values = Object.fromEntries(model.layout.names.map((n) => [n, model.layout.view(theta, n)]));
    const exported = writeOnnxParams(fixtureBytes(name), values);

    const x: Tensor = { dtype: 'float32', shape: [ref.n, ...ref.inputShape], data: Float32Array.from(ref.x) };
    const file = decodeModel(exported);
    const fileSession = await GraphSession.create(file);
    const fromFile = (await fileSession.run({ [file.inputs[0].name]: x }))[file.outputs[0].name]
      .data as Float32Array;
    const feeds: Record<string, Tensor> = { x };
    for (const slot of model.layout.slots) {
      feeds[slot.name] = {
        dtype: 'float32',
        shape: slot.shape,
        data: Float32Array.from(model.layout.view(theta, slot.name)),
      };
    }
    const ours = await GraphSession.create(model.graph);
    const fromBiaslab = (await ours.run(feeds))[model.graph.outputs[0].name].data as Float32Array;
    await Promise.all([fileSession.release(), ours.release()]);
    assert.equal(fromFile.length, ref.n * ref.outputSize);
    const scale = Math.max(...Array.from(fromBiaslab, Math.abs));
    fromFile.forEach((v, i) =>
      assert.ok(
        Math.abs(v - fromBiaslab[i]) <= 1e-5 * scale,
        `${name} output[${i}]: file ${v}, biaslab ${fromBiaslab[i]} (seed ${SEED})`,
      ),
    );

    const again = importOnnxModel(exported, { ops: OPS });
    assert.deepEqual(again.layout.names, model.layout.names);
    again.init.forEach((v, i) =>
      assert.equal(v, Math.fround(theta[i]), `${name} θ[${i}] after export (seed ${SEED})`),
    );
    const [before, after] = [decodeModel(fixtureBytes(name)), file];
    assert.deepEqual(after.nodes, before.nodes, 'nodes unchanged');
    assert.deepEqual(after.inputs, before.inputs, 'inputs unchanged');
    assert.deepEqual(
      after.initializers.filter((t) => !values[t.name]),
      before.initializers.filter((t) => !values[t.name]),
      'buffers and other initializers unchanged',
    );
  });
}

test('writing θ₀ back reproduces the original file byte for byte', () => {
  for (const name of FIXTURES) {
    const model = fixtureModel(name);
    const values = Object.fromEntries(model.layout.names.map((n) => [n, model.layout.view(model.init, n)]));
    assert.deepEqual(writeOnnxParams(fixtureBytes(name), values), fixtureBytes(name), name);
  }
});

test('a parameter PyTorch deduplicated into an Identity is written as its own initializer', async () => {
  const g = new GraphBuilder('tied', 17);
  const input = g.addInput('input', 'float32', ['batch', 2]);
  const a = g.constant({ dtype: 'float32', shape: [2], data: Float32Array.of(1, 1) }, 'ln1.weight');
  const b = g.op('Identity', [a], {}, 'ln2.weight');
  const y = g.op('Mul', [g.op('Mul', [input, a]), b], {}, 'output');
  g.addOutput(y, 'float32', ['batch', 2]);
  const bytes = encodeModel(g.build());
  const model = importOnnxModel(bytes, { ops: OPS });
  assert.deepEqual(
    model.layout.names,
    ['ln1.weight', 'ln2.weight'],
    'the Identity copy is a parameter of its own',
  );
  const exported = writeOnnxParams(bytes, { 'ln1.weight': [2, 3], 'ln2.weight': [5, 7] });
  const file = decodeModel(exported);
  assert.ok(!file.nodes.some((n) => n.op === 'Identity'), 'the Identity node is gone');
  const session = await GraphSession.create(file);
  const out = await session.run({ input: { dtype: 'float32', shape: [1, 2], data: Float32Array.of(1, 1) } });
  await session.release();
  assert.deepEqual(Array.from(out.output.data as Float32Array), [10, 21]);
});

test('writing an unknown name or a wrong size is refused', () => {
  const bytes = fixtureBytes('mlp');
  assert.throws(
    () => writeOnnxParams(bytes, { 'nope.weight': [1] }),
    (e: Error) => e.name === 'BiaslabError' && /nope\.weight/.test(e.message),
  );
  assert.throws(
    () => writeOnnxParams(bytes, { 'fc1.bias': [1, 2] }),
    (e: Error) => e.name === 'BiaslabError' && /fc1\.bias/.test(e.message),
  );
});
