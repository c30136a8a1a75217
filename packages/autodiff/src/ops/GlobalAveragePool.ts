import { sizeOf } from '@biaslab/core';
import type { GraphNode } from '@biaslab/core';
import { attr } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import type { Emitter } from '../emitter';
import { defineOp } from '../op-definition';

/** Global pooling: X [N, C, spatial…] → [N, C, 1, …, 1]. */
export const globalPoolShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  if (x.shape.length < 3)
    ctx.fail(`X must have rank ≥ 3 ([N, C, spatial…]), received [${x.shape.join(', ')}]`);
  return [{ dtype: x.dtype, shape: x.shape.map((d, i) => (i < 2 ? d : 1)) }];
};

/** GlobalAveragePool as ReduceMean over the spatial axes, keeping them. */
function lowerGlobalAveragePool(e: Emitter, node: GraphNode): string {
  const [x] = node.inputs;
  const axes = e
    .type(x)
    .shape.slice(2)
    .map((_, i) => i + 2);
  const keep = { keepdims: attr.int(1) };
  if (e.opset >= 18) return e.op('ReduceMean', [x, e.int64s(axes)], keep);
  return e.op('ReduceMean', [x], { ...keep, axes: attr.ints(axes) });
}

/** y[n, c] = mean over the spatial axes of x[n, c, …]  ⇒  x̄ = broadcast(ȳ/(number of spatial positions)). */
export const GlobalAveragePool = defineOp({
  op: 'GlobalAveragePool',
  shape: globalPoolShape,
  vjp: [
    {
      since: 1,
      samples: [
        { label: '2-D', inputs: [{ float: [2, 3, 2, 3] }] },
        { label: '1-D', inputs: [{ float: [2, 2, 5] }] },
      ],
      vjp: (ctx) => {
        const { e } = ctx;
        const shape = ctx.type(ctx.node.inputs[0]).shape;
        const n = sizeOf(shape.slice(2));
        return [() => e.expand(e.op('Mul', [ctx.g, e.scalarLike(1 / n, ctx.g)]), shape)];
      },
    },
  ],
  float64: {
    reason: 'no float64 kernel; ReduceMean over the spatial axes (keepdims=1) is the float64 equivalent',
    lowering: { emit: lowerGlobalAveragePool },
  },
});
