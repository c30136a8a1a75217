// Shape rules of the layer ops (split, pad, normalisation, einsum, convolution and pooling) through the op set;
// the elementwise, matrix and shape-manipulation ops are in shape-rules.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBiaslabError } from '@biaslab/core';
import { GraphBuilder, attr, inferTypes } from '@biaslab/onnx';
import { OPS } from './op-registry';
import { convGeometry } from './window-geometry';

/** The shape of the value `body` builds from a float64 input `x` of `shape`. */
function shapeOf(
  shape: number[],
  opset: number,
  body: (g: GraphBuilder, x: string) => string,
): readonly number[] {
  const g = new GraphBuilder('t', opset);
  const out = body(g, g.addInput('x', 'float64', shape));
  g.addOutput(out, 'float64', []);
  return inferTypes(g.build(), OPS).get(out)!.shape;
}

test('Split: split attribute (< 13), split input (≥ 13), num_outputs (≥ 18, last part smaller), equal parts', () => {
  const shapesOf = (opset: number, build: (g: GraphBuilder, x: string) => string[]) => {
    const g = new GraphBuilder('s', opset);
    const x = g.addInput('x', 'float64', [5, 6]);
    const outs = build(g, x);
    g.addOutput(outs[0], 'float64', []);
    const types = inferTypes(g.build(), OPS);
    return outs.map((o) => types.get(o)!.shape);
  };
  assert.deepEqual(
    shapesOf(11, (g, x) => g.opMulti('Split', [x], 2, { axis: attr.int(1), split: attr.ints([4, 2]) })),
    [
      [5, 4],
      [5, 2],
    ],
  );
  assert.deepEqual(
    shapesOf(13, (g, x) => g.opMulti('Split', [x, g.int64s([1, 4])], 2)),
    [
      [1, 6],
      [4, 6],
    ],
  );
  assert.deepEqual(
    shapesOf(18, (g, x) => g.opMulti('Split', [x], 2, { num_outputs: attr.int(2) })),
    [
      [3, 6],
      [2, 6],
    ],
  );
  assert.deepEqual(
    shapesOf(17, (g, x) => g.opMulti('Split', [x], 3, { axis: attr.int(-1) })),
    [
      [5, 2],
      [5, 2],
      [5, 2],
    ],
  );
  assert.throws(
    () => shapesOf(13, (g, x) => g.opMulti('Split', [x, g.int64s([1, 3])], 2)),
    (e: unknown) => isBiaslabError(e, 'SHAPE') && /sum to the axis size 5/.test((e as Error).message),
  );
});

test('Pad: all axes, negative pads crop, axes input from opset 18', () => {
  // axes [-1, 0]: axis 2 gets 1 before and 3 after, axis 0 gets 2 before and 4 after
  assert.deepEqual(
    shapeOf([2, 3], 17, (g, x) => g.op('Pad', [x, g.int64s([1, 0, 2, -1])])),
    [5, 2],
  );
  assert.deepEqual(
    shapeOf([2, 3, 4], 18, (g, x) => g.op('Pad', [x, g.int64s([1, 2, 3, 4]), '', g.int64s([-1, 0])])),
    [8, 3, 8],
  );
});

test('LayerNormalization statistics have kept dims and the stash_type dtype; BatchNormalization outputs by mode', () => {
  const g = new GraphBuilder('n', 17);
  const x = g.addInput('x', 'float64', [2, 3, 4]);
  const s = g.addInput('s', 'float64', [3, 4]);
  const [y, m, r] = g.opMulti('LayerNormalization', [x, s], 3, { axis: attr.int(1) });
  const c = g.addInput('c', 'float64', [3]);
  const [bn] = g.opMulti('BatchNormalization', [x, c, c, c, c], 1);
  g.addOutput(y, 'float64', [2, 3, 4]);
  const types = inferTypes(g.build(), OPS);
  assert.deepEqual(types.get(y), { dtype: 'float64', shape: [2, 3, 4] });
  assert.deepEqual(types.get(m), { dtype: 'float32', shape: [2, 1, 1] });
  assert.deepEqual(types.get(r), { dtype: 'float32', shape: [2, 1, 1] });
  assert.deepEqual(types.get(bn), { dtype: 'float64', shape: [2, 3, 4] });
  const bad = new GraphBuilder('n', 17);
  const out = bad.op('BatchNormalization', [
    bad.addInput('x', 'float64', [2, 4]),
    ...Array(4).fill(bad.addInput('c', 'float64', [3])),
  ]);
  bad.addOutput(out, 'float64', []);
  assert.throws(
    () => inferTypes(bad.build(), OPS),
    (e: unknown) => isBiaslabError(e, 'SHAPE') && /must have shape \[4\]/.test((e as Error).message),
  );
});

test('Einsum: explicit, implicit and ellipsis equations; inconsistent letter sizes are an error', () => {
  const einsum = (eq: string, shapes: number[][]) => {
    const g = new GraphBuilder('e', 17);
    const ins = shapes.map((s, i) => g.addInput(`x${i}`, 'float64', s));
    const y = g.op('Einsum', ins, { equation: attr.string(eq) });
    g.addOutput(y, 'float64', []);
    return inferTypes(g.build(), OPS).get(y)!.shape;
  };
  assert.deepEqual(
    einsum('bqd,bkd->bqk', [
      [2, 3, 4],
      [2, 5, 4],
    ]),
    [2, 3, 5],
  );
  assert.deepEqual(
    einsum('ij,jk', [
      [2, 3],
      [3, 4],
    ]),
    [2, 4],
  );
  assert.deepEqual(einsum('ji', [[2, 3]]), [3, 2]);
  assert.deepEqual(
    einsum('...ij,jk->...ik', [
      [5, 2, 3],
      [3, 4],
    ]),
    [5, 2, 4],
  );
  assert.deepEqual(
    einsum('...ij,jk', [
      [5, 6, 2, 3],
      [3, 4],
    ]),
    [5, 6, 2, 4],
  );
  assert.deepEqual(einsum('ij->', [[2, 3]]), []);
  assert.throws(
    () =>
      einsum('ij,jk->ik', [
        [2, 3],
        [4, 5],
      ]),
    (e: unknown) => isBiaslabError(e, 'SHAPE') && /letter `j` has sizes 3 and 4/.test((e as Error).message),
  );
});

test('Conv and pooling geometry: strides, pads, dilations, groups, auto_pad, ceil_mode, global pooling', () => {
  const conv = (xs: number[], ws: number[], a: Record<string, ReturnType<typeof attr.int>> = {}) => {
    const g = new GraphBuilder('c', 17);
    const y = g.op('Conv', [g.addInput('x', 'float32', xs), g.addInput('w', 'float32', ws)], a);
    g.addOutput(y, 'float32', []);
    return inferTypes(g.build(), OPS).get(y)!.shape;
  };
  // ⌊(7 + 1 + 1 − 3)/2⌋ + 1 = 4 and ⌊(9 + 0 + 2 − 5)/1⌋ + 1 = 7 (dilated extent (3 − 1)·2 + 1 = 5)
  assert.deepEqual(
    conv([1, 2, 7, 9], [4, 2, 3, 3], {
      strides: attr.ints([2, 1]),
      pads: attr.ints([1, 0, 1, 2]),
      dilations: attr.ints([1, 2]),
    }),
    [1, 4, 4, 7],
  );
  assert.deepEqual(conv([2, 4, 5], [6, 2, 3], { group: attr.int(2) }), [2, 6, 3]);
  assert.deepEqual(
    conv([1, 1, 5, 6], [1, 1, 3, 3], { auto_pad: attr.string('SAME_UPPER'), strides: attr.ints([2, 2]) }),
    [1, 1, 3, 3],
  );
  assert.throws(
    () => conv([1, 3, 5, 5], [2, 2, 3, 3]),
    (e: unknown) => isBiaslabError(e, 'SHAPE') && /channels do not match/.test((e as Error).message),
  );
  const upper = convGeometry([6], [4], { auto_pad: attr.string('SAME_UPPER') });
  const lower = convGeometry([6], [4], { auto_pad: attr.string('SAME_LOWER') });
  assert.deepEqual([upper.padBegin, upper.padEnd, upper.out], [[1], [2], [6]]);
  assert.deepEqual([lower.padBegin, lower.padEnd, lower.out], [[2], [1], [6]]);
  const pool = (op: string, a: Record<string, ReturnType<typeof attr.int>>) =>
    shapeOf([1, 2, 5, 5], 17, (g, x) => g.op(op, [x], a));
  const k2s2 = { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) };
  assert.deepEqual(pool('MaxPool', k2s2), [1, 2, 2, 2]);
  assert.deepEqual(pool('MaxPool', { ...k2s2, ceil_mode: attr.int(1) }), [1, 2, 3, 3]);
  assert.deepEqual(
    pool('AveragePool', { kernel_shape: attr.ints([3, 3]), auto_pad: attr.string('VALID') }),
    [1, 2, 3, 3],
  );
  assert.deepEqual(pool('GlobalAveragePool', {}), [1, 2, 1, 1]);
});

test('bool constants carry their values (Dropout training_mode is read at build time)', () => {
  const g = new GraphBuilder('b', 17);
  const t = g.constant({ dtype: 'bool', shape: [], data: Uint8Array.of(1) }, 'mode');
  const x = g.addInput('x', 'float64', [2]);
  const [y, mask] = g.opMulti('Dropout', [x, '', t], 2);
  g.addOutput(y, 'float64', [2]);
  const types = inferTypes(g.build(), OPS);
  assert.deepEqual(types.get(t), { dtype: 'bool', shape: [], value: [1] });
  assert.deepEqual(types.get(mask), { dtype: 'bool', shape: [2] });
});
