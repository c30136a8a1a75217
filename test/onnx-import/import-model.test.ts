import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBiaslabError } from '@biaslab/core';
import type { Graph } from '@biaslab/core';
import { OPS } from '@biaslab/autodiff';
import { GraphBuilder, attr, encodeModel, importOnnxModel, inferTypes } from '@biaslab/onnx';

/** The graph with the batch dimension of `x` fixed to `n`. */
function withBatch(graph: Graph, n: number): Graph {
  return {
    ...graph,
    inputs: graph.inputs.map((i) => (i.name === 'x' ? { ...i, shape: [n, ...i.shape.slice(1)] } : i)),
  };
}

/** input [batch, 2, 3] → Reshape to [batch, 6] through a Shape/Gather/Unsqueeze/Concat chain → Gemm → output. */
function reshapeModel(): Uint8Array {
  const g = new GraphBuilder('chain', 17);
  const input = g.addInput('input', 'float32', ['batch', 2, 3]);
  const shape = g.op('Shape', [input]);
  const batch = g.op('Unsqueeze', [
    g.op('Gather', [shape, g.constant({ dtype: 'int64', shape: [], data: BigInt64Array.of(0n) })]),
    g.int64s([0]),
  ]);
  const rest = g.op('Mul', [
    g.op('Slice', [shape, g.int64s([1]), g.int64s([2])]),
    g.op('Slice', [shape, g.int64s([2]), g.int64s([3])]),
  ]);
  const flat = g.op('Reshape', [input, g.op('Concat', [batch, rest], { axis: attr.int(0) })]);
  const w = g.constant(
    { dtype: 'float32', shape: [6, 2], data: Float32Array.from({ length: 12 }, (_, i) => i / 10) },
    'fc.weight',
  );
  const y = g.op('Dropout', [g.op('MatMul', [flat, w])], {}, 'y');
  g.addOutput(g.op('Identity', [y], {}, 'output'), 'float32', ['batch', 2]);
  return encodeModel(g.build());
}

test('shape chains fold to constants and a batch-dependent Reshape target becomes −1', () => {
  const model = importOnnxModel(reshapeModel(), { ops: OPS });
  const ops = model.graph.nodes.map((n) => n.op);
  assert.deepEqual(ops, ['Reshape', 'MatMul', 'Identity', 'Identity'], `ops after folding: ${ops.join(' ')}`);
  assert.equal(model.info.batchReshapes, 1);
  const target = model.graph.initializers.find((t) => t.name === model.graph.nodes[0].inputs[1])!;
  assert.deepEqual(Array.from(target.data as BigInt64Array, Number), [-1, 6]);
  assert.deepEqual(model.graph.inputs[0], { name: 'x', dtype: 'float32', shape: ['N', 2, 3] });
  assert.deepEqual(model.graph.outputs[0].shape, ['N', 2]);
  for (const n of [1, 4, 9]) {
    assert.deepEqual(inferTypes(withBatch(model.graph, n), OPS).get('output')!.shape, [n, 2], `batch ${n}`);
  }
  assert.ok(
    !model.graph.nodes.some((n) => n.inputs.includes('y')),
    'the value named `y` is renamed away from the loss head',
  );
  assert.deepEqual(model.layout.names, ['fc.weight']);
  assert.equal(model.init[11], Math.fround(1.1));
});

test('a fixed batch size folds everything, including batch-dependent chains', () => {
  const model = importOnnxModel(reshapeModel(), { ops: OPS, batchSize: 3 });
  assert.deepEqual(model.graph.inputs[0].shape, [3, 2, 3]);
  const target = model.graph.initializers.find((t) => t.name === model.graph.nodes[0].inputs[1])!;
  assert.deepEqual(Array.from(target.data as BigInt64Array, Number), [3, 6]);
});

test('train/freeze patterns choose the parameters; BatchNorm statistics stay constants', () => {
  const g = new GraphBuilder('bn', 17);
  const input = g.addInput('input', 'float32', ['batch', 2, 2, 2]);
  const c = (name: string, v: number[]) =>
    g.constant({ dtype: 'float32', shape: [2], data: Float32Array.from(v) }, name);
  const bn = g.op('BatchNormalization', [
    input,
    c('bn.weight', [1, 2]),
    c('bn.bias', [0, 1]),
    c('bn.running_mean', [0.5, 0]),
    c('bn.running_var', [1, 2]),
  ]);
  const flat = g.op('Flatten', [bn]);
  const w = g.constant({ dtype: 'float32', shape: [8, 1], data: new Float32Array(8).fill(0.5) }, 'fc.weight');
  g.addOutput(g.op('MatMul', [flat, w], {}, 'output'), 'float32', ['batch', 1]);
  const bytes = encodeModel(g.build());
  const all = importOnnxModel(bytes, { ops: OPS });
  assert.deepEqual(all.layout.names, ['bn.weight', 'bn.bias', 'fc.weight']);
  assert.deepEqual(all.buffers, ['bn.running_mean', 'bn.running_var']);
  const some = importOnnxModel(bytes, { ops: OPS, train: ['fc.*'], freeze: ['bn.bias'] });
  assert.deepEqual(
    some.layout.slots.map((s) => [s.name, s.trainable]),
    [
      ['bn.bias', false],
      ['fc.weight', true],
    ],
  );
  assert.deepEqual(some.excluded, ['bn.weight']);
  assert.ok(
    some.graph.initializers.some((t) => t.name === 'bn.weight'),
    'an excluded initializer stays a constant',
  );
  assert.throws(
    () => importOnnxModel(bytes, { ops: OPS, train: ['conv*'] }),
    (e: unknown) =>
      isBiaslabError(e, 'INVALID_OPTIONS') && /`conv\*` matches no parameter/.test((e as Error).message),
  );
});

test('ops without rules, custom domains, old opsets and ambiguous inputs are refused at import', () => {
  const build = (op: string, domain?: string, opset = 17, inputs = 1) => {
    const g = new GraphBuilder('bad', opset);
    const xs = Array.from({ length: inputs }, (_, i) => g.addInput(`in${i}`, 'float32', ['batch', 3]));
    g.addOutput(g.op(op, [xs[0]], {}, 'output'), 'float32', ['batch', 3]);
    const graph = g.build();
    return encodeModel(domain ? { ...graph, nodes: graph.nodes.map((n) => ({ ...n, domain })) } : graph);
  };
  const supportedOps = () => ['MatMul', 'Tanh'];
  const expect = (bytes: Uint8Array, code: string, pattern: RegExp, options = {}) =>
    assert.throws(
      () => importOnnxModel(bytes, { ops: OPS, ...options }),
      (e: unknown) => isBiaslabError(e) && e.code === code && pattern.test(e.message),
    );
  expect(
    build('Hardmax'),
    'NO_RULE',
    /`Hardmax` \(opset 17\) at node `output_node`.*supported ops: MatMul, Tanh/,
    { supportedOps },
  );
  expect(build('Relu'), 'NO_RULE', /`Relu` \(opset 17\) at node `output_node`.*supported ops: MatMul, Tanh/, {
    supportedOps,
  });
  expect(build('Hardmax'), 'NO_RULE', /`Hardmax` \(opset 17\)/);
  expect(build('Tanh', 'com.example'), 'NO_RULE', /`com\.example\.Tanh`.*custom domain/);
  expect(build('Tanh', undefined, 9), 'ONNX_FORMAT', /opset `9`.*opset 11 and later/);
  expect(build('Tanh', undefined, 17, 2), 'SHAPE', /exactly one data input.*`in0`, `in1`/);
  assert.equal(
    importOnnxModel(build('Tanh', undefined, 17, 2), { ops: OPS, input: 'in0' }).info.dataInput,
    'in0',
  );
});
