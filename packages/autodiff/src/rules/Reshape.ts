import type { VjpRule } from '../rule';

/** y = reshape(x)  ⇒  x̄ = reshape(ȳ, shape of x); the shape input gets none. */
export const Reshape: VjpRule = {
  op: 'Reshape',
  since: 5,
  samples: [
    { label: 'flatten with -1', inputs: [{ float: [2, 3, 2] }, { int64: [-1, 6] }] },
    { label: 'copy dim with 0', inputs: [{ float: [2, 6] }, { int64: [0, 3, 2] }] },
  ],
  vjp: (ctx) => [() => ctx.e.reshape(ctx.g, ctx.type(ctx.node.inputs[0]).shape), undefined],
};
