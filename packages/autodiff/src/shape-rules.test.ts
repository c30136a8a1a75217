// Shape rules of the elementwise, matrix and shape-manipulation ops through the op set (`OPS`), and the
// engine's errors; the layer ops are in shape-rules-layers.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBiaslabError } from '@biaslab/core';
import type { DType, Graph } from '@biaslab/core';
import { GraphBuilder, attr, inferTypes } from '@biaslab/onnx';
import { OPS } from './op-registry';

/** A graph with one input `x` (float64 of `shape`), built by `body`, which returns the value to inspect. */
function one(
  shape: number[],
  opset: number,
  body: (g: GraphBuilder, x: string) => string,
  dtype: DType = 'float64',
): { graph: Graph; out: string } {
  const g = new GraphBuilder('t', opset);
  const x = g.addInput('x', dtype, shape);
  const out = body(g, x);
  g.addOutput(out, dtype, []);
  return { graph: g.build(), out };
}

function shapeOf(
  shape: number[],
  opset: number,
  body: (g: GraphBuilder, x: string) => string,
): readonly number[] {
  const { graph, out } = one(shape, opset, body);
  return inferTypes(graph, OPS).get(out)!.shape;
}

test('broadcasting follows numpy rules, including rank mismatch and scalars', () => {
  const cases: [number[], number[], number[]][] = [
    [
      [2, 3],
      [2, 3],
      [2, 3],
    ],
    [[2, 3], [3], [2, 3]],
    [
      [3, 1],
      [1, 4],
      [3, 4],
    ],
    [[4], [2, 3, 4], [2, 3, 4]],
    [
      [2, 1, 5],
      [7, 1],
      [2, 7, 5],
    ],
    [[], [2, 2], [2, 2]],
  ];
  for (const [a, b, expected] of cases) {
    const g = new GraphBuilder('b', 17);
    const x = g.addInput('a', 'float64', a);
    const y = g.addInput('b', 'float64', b);
    const s = g.op('Add', [x, y]);
    const c = g.op('Greater', [x, y]);
    g.addOutput(s, 'float64', expected);
    const types = inferTypes(g.build(), OPS);
    assert.deepEqual(types.get(s)!.shape, expected, `Add [${a}] + [${b}]`);
    assert.deepEqual(types.get(c), { dtype: 'bool', shape: expected });
  }
});

test('broadcast mismatch names the node and both shapes', () => {
  const g = new GraphBuilder('b', 17);
  const s = g.op(
    'Mul',
    [g.addInput('a', 'float64', [2, 3]), g.addInput('b', 'float64', [4, 3])],
    {},
    'block/mul',
  );
  g.addOutput(s, 'float64', [2, 3]);
  assert.throws(
    () => inferTypes(g.build(), OPS),
    (e: unknown) =>
      isBiaslabError(e, 'SHAPE') &&
      /block\/mul_node/.test((e as Error).message) &&
      /\[2, 3\]/.test((e as Error).message) &&
      /\[4, 3\]/.test((e as Error).message),
  );
});

test('MatMul: matrices, batched with broadcast, and 1-D operands', () => {
  const mm = (a: number[], b: number[]) => {
    const g = new GraphBuilder('m', 17);
    const out = g.op('MatMul', [g.addInput('a', 'float64', a), g.addInput('b', 'float64', b)]);
    g.addOutput(out, 'float64', []);
    return inferTypes(g.build(), OPS).get(out)!.shape;
  };
  assert.deepEqual(mm([3, 4], [4, 2]), [3, 2]);
  assert.deepEqual(mm([5, 3, 4], [4, 2]), [5, 3, 2]);
  assert.deepEqual(mm([2, 1, 3, 4], [5, 4, 6]), [2, 5, 3, 6]);
  assert.deepEqual(mm([4], [2, 4, 3]), [2, 3]);
  assert.deepEqual(mm([2, 3, 4], [4]), [2, 3]);
  assert.deepEqual(mm([4], [4]), []);
  assert.throws(
    () => mm([3, 4], [5, 2]),
    (e: unknown) => isBiaslabError(e, 'SHAPE'),
  );
});

test('Gemm honours transA/transB', () => {
  const g = new GraphBuilder('g', 17);
  const out = g.op(
    'Gemm',
    [g.addInput('a', 'float64', [4, 3]), g.addInput('b', 'float64', [2, 4]), g.addInput('c', 'float64', [2])],
    {
      transA: attr.int(1),
      transB: attr.int(1),
    },
  );
  g.addOutput(out, 'float64', []);
  assert.deepEqual(inferTypes(g.build(), OPS).get(out)!.shape, [3, 2]);
});

test('Reshape resolves 0 (copy) and -1 (infer), and allowzero', () => {
  assert.deepEqual(
    shapeOf([2, 3, 4], 17, (g, x) => g.op('Reshape', [x, g.int64s([0, -1])])),
    [2, 12],
  );
  assert.deepEqual(
    shapeOf([2, 3, 4], 17, (g, x) => g.op('Reshape', [x, g.int64s([-1, 0, 2])])),
    [4, 3, 2],
  );
  assert.deepEqual(
    shapeOf([0, 3], 17, (g, x) => g.op('Reshape', [x, g.int64s([3, 0])], { allowzero: attr.int(1) })),
    [3, 0],
  );
  assert.throws(
    () => shapeOf([2, 3], 17, (g, x) => g.op('Reshape', [x, g.int64s([4, -1])])),
    (e: unknown) => isBiaslabError(e, 'SHAPE'),
  );
});

test('constant int values propagate through Constant, Shape, Gather, Concat and Cast into Reshape and Expand', () => {
  const shape = shapeOf([2, 3, 4], 17, (g, x) => {
    const dims = g.op('Shape', [x]);
    const first = g.op('Gather', [dims, g.int64s([0])]);
    const minus = g.op('Constant', [], { value_ints: attr.ints([-1]) });
    const target = g.op('Cast', [g.op('Concat', [first, minus], { axis: attr.int(0) })], { to: attr.int(7) });
    return g.op('Reshape', [x, target]);
  });
  assert.deepEqual(shape, [2, 12]);
  const expanded = shapeOf([3, 1], 17, (g, x) => {
    const c = g.op('Constant', [], {
      value: attr.tensor({ dtype: 'int64', shape: [3], data: BigInt64Array.of(2n, 3n, 5n) }),
    });
    return g.op('Expand', [x, c]);
  });
  assert.deepEqual(expanded, [2, 3, 5]);
});

test('reductions read axes from attributes or inputs by opset', () => {
  const x = [2, 3, 4];
  // ReduceSum: attribute until 12, input from 13
  assert.deepEqual(
    shapeOf(x, 12, (g, v) => g.op('ReduceSum', [v], { axes: attr.ints([1]) })),
    [2, 1, 4],
  );
  assert.deepEqual(
    shapeOf(x, 13, (g, v) => g.op('ReduceSum', [v, g.int64s([1, -1])], { keepdims: attr.int(0) })),
    [2],
  );
  assert.deepEqual(
    shapeOf(x, 13, (g, v) => g.op('ReduceSum', [v], { keepdims: attr.int(0) })),
    [],
  );
  assert.deepEqual(
    shapeOf(x, 13, (g, v) => g.op('ReduceSum', [v], { noop_with_empty_axes: attr.int(1) })),
    x,
  );
  // ReduceMean: attribute until 17, input from 18
  assert.deepEqual(
    shapeOf(x, 17, (g, v) => g.op('ReduceMean', [v], { axes: attr.ints([0]), keepdims: attr.int(0) })),
    [3, 4],
  );
  assert.deepEqual(
    shapeOf(x, 18, (g, v) => g.op('ReduceMean', [v, g.int64s([0])], { keepdims: attr.int(0) })),
    [3, 4],
  );
  assert.deepEqual(
    shapeOf(x, 18, (g, v) => g.op('ReduceMean', [v])),
    [1, 1, 1],
  );
  // an axes input whose value is unknown cannot be resolved
  assert.throws(
    () => {
      const g = new GraphBuilder('r', 18);
      const v = g.addInput('x', 'float64', x);
      const axes = g.addInput('axes', 'int64', [1]);
      g.addOutput(g.op('ReduceMean', [v, axes]), 'float64', []);
      inferTypes(g.build(), OPS);
    },
    (e: unknown) => isBiaslabError(e, 'SHAPE') && /constant/.test((e as Error).message),
  );
});

test('Squeeze/Unsqueeze: attribute axes before 13, input axes from 13', () => {
  assert.deepEqual(
    shapeOf([2, 3], 11, (g, x) => g.op('Unsqueeze', [x], { axes: attr.ints([0, 3]) })),
    [1, 2, 3, 1],
  );
  assert.deepEqual(
    shapeOf([2, 3], 13, (g, x) => g.op('Unsqueeze', [x, g.int64s([1])])),
    [2, 1, 3],
  );
  assert.deepEqual(
    shapeOf([2, 1, 3, 1], 13, (g, x) => g.op('Squeeze', [x, g.int64s([-1])])),
    [2, 1, 3],
  );
  assert.deepEqual(
    shapeOf([2, 1, 3, 1], 13, (g, x) => g.op('Squeeze', [x])),
    [2, 3],
  );
  assert.deepEqual(
    shapeOf([2, 1, 3], 12, (g, x) => g.op('Squeeze', [x], { axes: attr.ints([1]) })),
    [2, 3],
  );
});

test('Transpose, Softmax, Where, Cast, Slice and Flatten', () => {
  assert.deepEqual(
    shapeOf([2, 3, 4], 17, (g, x) => g.op('Transpose', [x])),
    [4, 3, 2],
  );
  assert.deepEqual(
    shapeOf([2, 3, 4], 17, (g, x) => g.op('Transpose', [x], { perm: attr.ints([1, 2, 0]) })),
    [3, 4, 2],
  );
  assert.deepEqual(
    shapeOf([2, 3], 17, (g, x) => g.op('LogSoftmax', [x])),
    [2, 3],
  );
  assert.deepEqual(
    shapeOf([3, 4], 17, (g, x) =>
      g.op('Where', [g.op('Greater', [x, g.scalar(0, 'float64')]), x, g.scalar(0, 'float64')]),
    ),
    [3, 4],
  );
  assert.deepEqual(
    shapeOf([5, 4], 17, (g, x) => g.op('Slice', [x, g.int64s([1]), g.int64s([-1]), g.int64s([0])])),
    [3, 4],
  );
  assert.deepEqual(
    shapeOf([2, 3, 4], 17, (g, x) => g.op('Flatten', [x], { axis: attr.int(2) })),
    [6, 4],
  );
  const { graph, out } = one([2], 17, (g, x) => g.op('Cast', [x], { to: attr.int(1) }));
  assert.equal(inferTypes(graph, OPS).get(out)!.dtype, 'float32');
});

test('a symbolic input dimension is an error naming the input', () => {
  const g = new GraphBuilder('s', 17);
  const x = g.addInput('pixels', 'float64', ['N', 3]);
  g.addOutput(g.op('Tanh', [x]), 'float64', ['N', 3]);
  assert.throws(
    () => inferTypes(g.build(), OPS),
    (e: unknown) =>
      isBiaslabError(e, 'SHAPE') && /`pixels`/.test((e as Error).message) && /`N`/.test((e as Error).message),
  );
});

test('an unknown op is an error naming op, node and opset', () => {
  const g = new GraphBuilder('u', 17);
  const y = g.op('Hardmax', [g.addInput('x', 'float64', [2, 2])], {}, 'head/hardmax');
  g.addOutput(y, 'float64', [2, 2]);
  assert.throws(
    () => inferTypes(g.build(), OPS),
    (e: unknown) =>
      isBiaslabError(e, 'NO_RULE') &&
      /`Hardmax` \(opset 17\) at node `head\/hardmax_node`/.test((e as Error).message),
  );
});

test('initializers are typed, and small int initializers carry their values', () => {
  const g = new GraphBuilder('i', 17);
  const w = g.constant({ dtype: 'float32', shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) }, 'w');
  const s = g.int64s([3, -1], 'shape');
  g.addOutput(w, 'float32', [2, 2]);
  const types = inferTypes(g.build(), OPS);
  assert.deepEqual(types.get(w), { dtype: 'float32', shape: [2, 2] });
  assert.deepEqual(types.get(s), { dtype: 'int64', shape: [2], value: [3, -1] });
});
