import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBiaslabError } from '@biaslab/core';
import type { Graph } from '@biaslab/core';
import { GraphBuilder, attr } from '@biaslab/onnx';
import { gradientGraph, hvpGraph } from './gradient-graph';
import { supportedOps } from './op-registry';

/** L = Σ tanh(x·W) with a dead side branch `aux` and an unused parameter `q`. */
function model(): Graph {
  const g = new GraphBuilder('m', 17);
  const x = g.addInput('x', 'float64', [4, 3]);
  const w = g.addInput('W', 'float64', [3, 2]);
  g.addInput('q', 'float64', [5]);
  const h = g.op('Tanh', [g.op('MatMul', [x, w])]);
  g.op('Exp', [w], {}, 'aux');
  const loss = g.op('ReduceSum', [h], { keepdims: attr.int(0) }, 'loss');
  g.addOutput(loss, 'float64', []);
  return g.build();
}

/** Names of values reachable backwards from the graph outputs. */
function live(graph: Graph): Set<string> {
  const need = new Set(graph.outputs.map((o) => o.name));
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i];
    if (n.outputs.some((o) => need.has(o))) n.inputs.forEach((v) => need.add(v));
  }
  return need;
}

test('gradientGraph keeps the inputs and names outputs loss, grad/<p>', () => {
  const graph = model();
  const d = gradientGraph(graph, { loss: 'loss', wrt: ['W', 'q'] });
  assert.deepEqual(d.inputs, graph.inputs);
  assert.deepEqual(
    d.outputs.map((o) => o.name),
    ['loss', 'grad/W', 'grad/q'],
  );
  assert.deepEqual(d.outputs[1], { name: 'grad/W', dtype: 'float64', shape: [3, 2] });
  assert.deepEqual(d.outputs[2], { name: 'grad/q', dtype: 'float64', shape: [5] });
});

test('a parameter the loss ignores gets a correctly shaped zero', () => {
  const d = gradientGraph(model(), { loss: 'loss', wrt: ['q'] });
  const id = d.nodes.find((n) => n.outputs[0] === 'grad/q')!;
  const expand = d.nodes.find((n) => n.outputs[0] === id.inputs[0])!;
  assert.equal(expand.op, 'Expand');
  const zero = d.initializers.find((t) => t.name === expand.inputs[0])!;
  const shape = d.initializers.find((t) => t.name === expand.inputs[1])!;
  assert.deepEqual([...zero.data], [0]);
  assert.deepEqual([...shape.data].map(Number), [5]);
  // no backward node is built for it: only the forward pass (for the loss output) remains
  assert.deepEqual(
    d.nodes.map((n) => n.op),
    ['MatMul', 'Tanh', 'ReduceSum', 'Expand', 'Identity'],
  );
});

test('pruning: dead branches and unneeded cotangents are not in the derived graph', () => {
  const d = gradientGraph(model(), { loss: 'loss', wrt: ['W'] });
  const alive = live(d);
  for (const n of d.nodes)
    assert.ok(
      n.outputs.some((o) => alive.has(o)),
      `node \`${n.name}\` (${n.op}) reaches no output`,
    );
  for (const t of d.initializers) assert.ok(alive.has(t.name), `initializer \`${t.name}\` is unused`);
  assert.ok(!d.nodes.some((n) => n.op === 'Exp'), 'the dead `aux` branch survived');
  // W̄ = xᵀ·(Ȳ⊙(1−h²)) needs exactly one backward matrix product (a Gemm): none is built for the data input x
  assert.deepEqual(
    d.nodes.filter((n) => n.op === 'MatMul' || n.op === 'Gemm').map((n) => n.op),
    ['MatMul', 'Gemm'],
  );
});

test('hvpGraph adds tangent inputs and outputs loss, grad/<p>, hvp/<p>', () => {
  const graph = model();
  const d = hvpGraph(graph, { loss: 'loss', wrt: ['W', 'q'] });
  assert.deepEqual(
    d.inputs.map((i) => i.name),
    ['x', 'W', 'q', 'tangent/W', 'tangent/q'],
  );
  assert.deepEqual(
    d.outputs.map((o) => o.name),
    ['loss', 'grad/W', 'grad/q', 'hvp/W', 'hvp/q'],
  );
  assert.deepEqual(d.outputs[3].shape, [3, 2]);
  const alive = live(d);
  for (const n of d.nodes)
    assert.ok(
      n.outputs.some((o) => alive.has(o)),
      `node \`${n.name}\` (${n.op}) reaches no output`,
    );
});

test('NO_RULE names op, opset and node, lists supported ops, and is raised before building', () => {
  const g = new GraphBuilder('sine', 17);
  const w = g.addInput('w', 'float64', [3]);
  const sin = g.op('Sin', [w], {}, 'block2/sin');
  g.addOutput(g.op('ReduceSum', [sin], { keepdims: attr.int(0) }), 'float64', []);
  const graph = g.build();
  const loss = graph.outputs[0].name;
  for (const fn of [gradientGraph, hvpGraph]) {
    assert.throws(
      () => fn(graph, { loss, wrt: ['w'] }),
      (e: unknown) =>
        isBiaslabError(e, 'NO_RULE') &&
        (e as Error).message.startsWith(
          'No VJP rule for `Sin` (opset 17) at node `block2/sin_node`; supported ops: ',
        ) &&
        (e as Error).message.includes(supportedOps(17).join(', ')),
    );
  }
});

test('an op outside its rule opset range is NO_RULE and says which opsets have rules', () => {
  const g = new GraphBuilder('old', 12);
  const w = g.addInput('w', 'float64', [2, 3]);
  const s = g.op('Softmax', [w], {}, 'sm');
  g.addOutput(g.op('ReduceSum', [s], { keepdims: attr.int(0) }), 'float64', []);
  const graph = g.build();
  assert.throws(
    () => gradientGraph(graph, { loss: graph.outputs[0].name, wrt: ['w'] }),
    (e: unknown) =>
      isBiaslabError(e, 'NO_RULE') &&
      /`Softmax` \(opset 12\)/.test((e as Error).message) &&
      /opsets 13–…/.test((e as Error).message),
  );
});

test('ops off the loss path need no rule', () => {
  const g = new GraphBuilder('side', 17);
  const w = g.addInput('w', 'float64', [3]);
  g.op('Erf', [w], {}, 'unused');
  const l = g.op('ReduceSum', [g.op('Mul', [w, w])], { keepdims: attr.int(0) });
  g.addOutput(l, 'float64', []);
  const d = gradientGraph(g.build(), { loss: l, wrt: ['w'] });
  assert.ok(!d.nodes.some((n) => n.op === 'Erf'));
});

test('bad options are reported clearly', () => {
  const graph = model();
  assert.throws(
    () => gradientGraph(graph, { loss: 'nope', wrt: ['W'] }),
    (e: unknown) => isBiaslabError(e, 'INVALID_OPTIONS') && /`nope`/.test((e as Error).message),
  );
  assert.throws(
    () => gradientGraph(graph, { loss: 'loss', wrt: ['V'] }),
    (e: unknown) => isBiaslabError(e, 'INVALID_OPTIONS') && /`V`/.test((e as Error).message),
  );
  const g = new GraphBuilder('v', 17);
  const w = g.addInput('w', 'float64', [3]);
  g.addOutput(g.op('Tanh', [w]), 'float64', [3]);
  const vec = g.build();
  assert.throws(
    () => gradientGraph(vec, { loss: vec.outputs[0].name, wrt: ['w'] }),
    (e: unknown) => isBiaslabError(e, 'SHAPE') && /scalar/.test((e as Error).message),
  );
});

test('supportedOps lists the table by opset', () => {
  const ops17 = supportedOps(17);
  for (const op of [
    'MatMul',
    'Gemm',
    'Add',
    'Sub',
    'Mul',
    'Div',
    'Neg',
    'Pow',
    'Tanh',
    'Relu',
    'Exp',
    'Log',
    'ReduceSum',
    'ReduceMean',
    'Transpose',
    'Reshape',
    'LogSoftmax',
    'Softmax',
    'Identity',
    'Where',
    'Greater',
    'Less',
    'Expand',
    'Cast',
    'Unsqueeze',
    'Squeeze',
    'Constant',
  ]) {
    assert.ok(ops17.includes(op), `\`${op}\` missing from supportedOps(17)`);
  }
  assert.ok(!supportedOps(12).includes('Softmax'));
  assert.deepEqual(supportedOps(), [...new Set(supportedOps())].sort());
});
