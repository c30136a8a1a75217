import { sizeOf } from '@biaslab/core';
import type { VjpRule } from '../rule';

/** y[n, c] = mean over the spatial axes of x[n, c, …]  ⇒  x̄ = broadcast(ȳ/(number of spatial positions)). */
export const GlobalAveragePool: VjpRule = {
  op: 'GlobalAveragePool',
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
};
