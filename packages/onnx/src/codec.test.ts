import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BiaslabError, Rng } from '@biaslab/core';
import type { Graph } from '@biaslab/core';
import { GraphBuilder, attr } from './builder';
import { decodeModel, encodeModel } from './codec';

/** A graph touching every attribute kind, tensor dtype and a symbolic dimension. */
function sampleGraph(seed: number): Graph {
  const rng = new Rng(seed);
  const g = new GraphBuilder('sample', 17);
  const x = g.addInput('x', 'float64', ['N', 3]);
  const w = g.addInput('w', 'float64', [3, 2]);
  const b = g.constant({ dtype: 'float64', shape: [2], data: rng.normals(2) }, 'bias');
  const f32 = g.constant(
    { dtype: 'float32', shape: [2, 2], data: Float32Array.from([1.5, -2, 0.25, 3]) },
    'f32',
  );
  const shape = g.int64s([-1, 2], 'shape');
  const h = g.op('Gemm', [x, w, b], { alpha: attr.float(0.5), beta: attr.float(1), transB: attr.int(0) });
  const t = g.op('Transpose', [h], { perm: attr.ints([1, 0]) });
  const r = g.op('Reshape', [t, shape]);
  const c = g.op('Cast', [f32], { to: attr.int(11) });
  const y = g.op('MatMul', [r, c], {}, 'out');
  g.op('Constant', [], {
    value: attr.tensor({ dtype: 'int32', shape: [3], data: Int32Array.from([1, 2, 3]) }),
  });
  g.op('Identity', [y], {
    note: attr.string('π ≈ 3.14'),
    tags: attr.strings(['a', 'b']),
    scales: attr.floats([0.5, 2]),
  });
  g.addOutput(y, 'float64', ['N', 2]);
  return g.build();
}

test('build → bytes → parse gives an identical graph', () => {
  for (const seed of [1, 2, 3]) {
    const graph = sampleGraph(seed);
    const parsed = decodeModel(encodeModel(graph));
    assert.deepEqual(parsed, graph, `seed ${seed}`);
    // and a second trip is byte-identical
    assert.deepEqual(encodeModel(parsed), encodeModel(graph), `seed ${seed}`);
  }
});

test('float attributes stay floats and int attributes stay ints', () => {
  const parsed = decodeModel(encodeModel(sampleGraph(1)));
  const gemm = parsed.nodes.find((n) => n.op === 'Gemm')!;
  assert.deepEqual(gemm.attributes.beta, { type: 'float', value: 1 });
  assert.deepEqual(gemm.attributes.transB, { type: 'int', value: 0 });
});

test('malformed bytes give ONNX_FORMAT errors, not crashes', () => {
  const bytes = encodeModel(sampleGraph(1));
  for (const bad of [
    bytes.slice(0, bytes.length >> 1),
    Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]),
    new Uint8Array(),
  ]) {
    assert.throws(
      () => decodeModel(bad),
      (e: unknown) => e instanceof BiaslabError && ['ONNX_FORMAT', 'DTYPE'].includes(e.code),
    );
  }
});
