import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder, attr, inferTypes } from '@biaslab/onnx';
import { OPS, findRule } from './op-registry';
import { float64Blockers, lowerForFloat64 } from './lower-float64';

/** x → Conv → Elu → AveragePool → Softplus → LeakyRelu → GlobalAveragePool → Gelu(tanh) (opset 20 on) → Erf. */
function mixed(opset: number) {
  const g = new GraphBuilder('mixed', opset);
  const x = g.addInput('x', 'float32', [2, 3, 6, 5]);
  const w = g.addInput('w', 'float32', [4, 3, 3, 2]);
  let h = g.op('Conv', [x, w], { pads: attr.ints([1, 0, 1, 1]) }, 'conv');
  h = g.op('Elu', [h], { alpha: attr.float(0.7) }, 'elu');
  h = g.op(
    'AveragePool',
    [h],
    { kernel_shape: attr.ints([2, 2]), ceil_mode: attr.int(1), strides: attr.ints([2, 2]) },
    'avg',
  );
  h = g.op('LeakyRelu', [g.op('Softplus', [h], {}, 'softplus')], {}, 'leaky');
  h = g.op('GlobalAveragePool', [h], {}, 'gap');
  if (opset >= 20) h = g.op('Gelu', [h], { approximate: attr.string('tanh') }, 'gelu');
  const out = g.op('Erf', [h], {}, 'erf');
  g.addOutput(out, 'float32', [2, 4, 1, 1]);
  return g.build();
}

test('lowering keeps every value name and leaves only ops with rules and float64 kernels (but Erf)', () => {
  for (const opset of [13, 17, 18, 20]) {
    const fixed = mixed(opset);
    const low = lowerForFloat64(fixed);
    assert.deepEqual(low.inputs, fixed.inputs);
    assert.deepEqual(low.outputs, fixed.outputs);
    const before = inferTypes(fixed, OPS);
    const after = inferTypes(low, OPS);
    for (const [name, t] of before)
      assert.deepEqual(after.get(name)?.shape, t.shape, `opset ${opset}: value \`${name}\``);
    for (const n of low.nodes) {
      assert.ok(findRule(n.op, opset), `opset ${opset}: lowered graph has \`${n.op}\`, which has no rule`);
      if (n.op !== 'Erf')
        assert.ok(!OPS.get(n.op)?.float64, `opset ${opset}: \`${n.op}\` is left in the lowered graph`);
    }
    const names = low.nodes.flatMap((n) => n.outputs);
    assert.equal(new Set(names).size, names.length, `opset ${opset}: a value is produced twice`);
    assert.deepEqual(float64Blockers(low), [
      { op: 'Erf', node: fixed.nodes.at(-1)!.name, reason: OPS.get('Erf')!.float64!.reason },
    ]);
    assert.deepEqual(
      float64Blockers(fixed).map((b) => b.op),
      ['Erf'],
    );
  }
});

test('a graph with nothing to lower comes back as it is; exact Gelu, Clip-6 and ConvTranspose are reported', () => {
  const g = new GraphBuilder('blocked', 10);
  const x = g.addInput('x', 'float32', [2, 3]);
  const y = g.op('Clip', [g.op('Tanh', [x])], { min: attr.float(-0.5), max: attr.float(0.5) }, 'clip');
  g.addOutput(y, 'float32', [2, 3]);
  const graph = g.build();
  assert.equal(lowerForFloat64(graph), graph);
  assert.deepEqual(
    float64Blockers(graph).map((b) => `${b.op}@${b.node}`),
    [`Clip@${graph.nodes[1].name}`],
  );
  const h = new GraphBuilder('gelu', 20);
  const z = h.addInput('z', 'float32', [4]);
  h.addOutput(h.op('Gelu', [z]), 'float32', [4]);
  assert.deepEqual(
    float64Blockers(h.build()).map((b) => b.op),
    ['Gelu'],
  );
  const k = new GraphBuilder('clip13', 13);
  const v = k.addInput('v', 'float32', [4]);
  k.addOutput(k.op('Clip', [v]), 'float32', [4]);
  assert.deepEqual(float64Blockers(k.build()), []);
});
