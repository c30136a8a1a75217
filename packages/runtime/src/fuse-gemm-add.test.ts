import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import type { Tensor } from '@biaslab/core';
import { GraphBuilder, attr } from '@biaslab/onnx';
import { fuseGemmAdd } from './fuse-gemm-add';
import { GraphSession } from './graph-session';
import { relErr } from './objective-fixtures';

const SEED = 20261205;

test(`Add(Expand(b), Gemm) and Add(Gemm, Gemm) fold into Gemms with C and compute the same values (seed ${SEED})`, async () => {
  const g = new GraphBuilder('sums');
  const x = g.addInput('x', 'float64', [5, 3]);
  const w = g.addInput('w', 'float64', [4, 3]);
  const u = g.addInput('u', 'float64', [5, 4]);
  const b = g.addInput('b', 'float64', [4]);
  const m = g.addInput('m', 'float64', [4, 4]);
  const row = g.op('Expand', [g.op('Reshape', [b, g.int64s([1, 4])]), g.int64s([5, 4])]);
  const first = g.op('Add', [row, g.op('Gemm', [x, w], { transB: attr.int(1), alpha: attr.float(0.5) })]);
  const second = g.op('Add', [g.op('Gemm', [u, m]), first]);
  // a Gemm read twice stays as it is
  const shared = g.op('Gemm', [x, w], { transB: attr.int(1) });
  const third = g.op('Add', [shared, g.op('Mul', [shared, shared])]);
  g.addOutput(second, 'float64', [5, 4]);
  g.addOutput(third, 'float64', [5, 4]);
  const graph = g.build();
  const fused = fuseGemmAdd(graph);
  const count = (op: string, gr = fused) => gr.nodes.filter((n) => n.op === op).length;
  assert.equal(count('Add'), 1);
  assert.equal(count('Expand'), 0);
  assert.equal(count('Gemm'), 3);
  assert.equal(fused.nodes.filter((n) => n.op === 'Gemm' && n.inputs.length === 3).length, 2);

  const rng = new Rng(SEED);
  const t = (shape: number[]): Tensor => ({
    dtype: 'float64',
    shape,
    data: rng.normals(shape[0] * (shape[1] ?? 1)),
  });
  const feeds = { x: t([5, 3]), w: t([4, 3]), u: t([5, 4]), b: t([4]), m: t([4, 4]) };
  const [plain, folded] = await Promise.all([GraphSession.create(graph), GraphSession.create(fused)]);
  try {
    const [p, f] = [await plain.run(feeds), await folded.run(feeds)];
    for (const name of [second, third]) {
      const err = relErr(f[name].data as Float64Array, p[name].data as Float64Array);
      assert.ok(err < 1e-15, `${name}: rel=${err} seed=${SEED}`);
    }
  } finally {
    await plain.release();
    await folded.release();
  }
});
