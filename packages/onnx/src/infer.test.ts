// The inference engine with a toy op set; the shape rules of the real ops are tested beside their definitions
// (packages/autodiff/src/shape-rules.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBiaslabError } from '@biaslab/core';
import { GraphBuilder, attr } from './builder';
import { inferTypes } from './infer';
import type { ShapeRule, ShapeRuleSet } from './infer';

/** Copy: x's type; Tile2: x repeated along a known axis given as input 1 (exercises `known` and `fail`). */
const RULES: Record<string, ShapeRule> = {
  Copy: (ctx) => [ctx.input(0)],
  Tile2: (ctx) => {
    const x = ctx.input(0);
    const [axis] = ctx.known(1, 'axis');
    if (axis >= x.shape.length) ctx.fail(`axis ${axis} is out of range`);
    return [{ dtype: x.dtype, shape: x.shape.map((d, i) => (i === axis ? 2 * d : d)) }];
  },
};
const TOY: ShapeRuleSet = { shapeRule: (op) => RULES[op] };

test('the engine types inputs, initializers (small ints with values) and node outputs through the op set', () => {
  const g = new GraphBuilder('t', 17);
  const x = g.addInput('x', 'float64', [2, 3]);
  const axis = g.int64s([1], 'axis');
  const y = g.op('Tile2', [g.op('Copy', [x]), axis]);
  g.addOutput(y, 'float64', [2, 6]);
  const types = inferTypes(g.build(), TOY);
  assert.deepEqual(types.get(axis), { dtype: 'int64', shape: [1], value: [1] });
  assert.deepEqual(types.get(y), { dtype: 'float64', shape: [2, 6] });
});

test('rule failures name the node; unknown ops and other domains are NO_RULE errors', () => {
  const build = (op: string, domain?: string, known = true) => {
    const g = new GraphBuilder('u', 17);
    const x = g.addInput('x', 'float64', [2, 2]);
    const k = known ? g.int64s([5], 'axis') : g.addInput('axis', 'int64', [1]);
    const y = g.op(op, [x, k], {}, 'head/op');
    g.addOutput(y, 'float64', [2, 2]);
    const graph = g.build();
    return domain ? { ...graph, nodes: graph.nodes.map((n) => ({ ...n, domain })) } : graph;
  };
  const fails = (graph: ReturnType<typeof build>, code: 'SHAPE' | 'NO_RULE', pattern: RegExp) =>
    assert.throws(
      () => inferTypes(graph, TOY),
      (e: unknown) => isBiaslabError(e, code) && pattern.test((e as Error).message),
    );
  fails(build('Tile2'), 'SHAPE', /at node `head\/op_node` \(Tile2, opset 17\): axis 5 is out of range/);
  fails(build('Tile2', undefined, false), 'SHAPE', /axis \(input `axis`\) must be a constant int tensor/);
  fails(build('Hardmax'), 'NO_RULE', /`Hardmax` \(opset 17\) at node `head\/op_node`/);
  fails(build('Tile2', 'com.example'), 'NO_RULE', /`com\.example\.Tile2`.*only the default ONNX domain/);
  assert.deepEqual(inferTypes(build('Copy', 'ai.onnx'), TOY).get('head/op')?.shape, [2, 2]);
});

test('a symbolic input dimension is an error naming the input', () => {
  const g = new GraphBuilder('s', 17);
  const x = g.addInput('pixels', 'float64', ['N', 3]);
  g.addOutput(g.op('Copy', [x], { unused: attr.int(0) }), 'float64', ['N', 3]);
  assert.throws(
    () => inferTypes(g.build(), TOY),
    (e: unknown) =>
      isBiaslabError(e, 'SHAPE') && /`pixels`/.test((e as Error).message) && /`N`/.test((e as Error).message),
  );
});
