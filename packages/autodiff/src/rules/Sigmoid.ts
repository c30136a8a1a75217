import type { VjpRule } from '../rule';

/** y = 1/(1 + e⁻ˣ)  ⇒  x̄ = ȳ·y·(1 − y). */
export const Sigmoid: VjpRule = {
  op: 'Sigmoid',
  since: 6,
  samples: [{ label: 'matrix', inputs: [{ float: [2, 3] }] }],
  vjp: (ctx) => {
    const { e } = ctx;
    const [y] = ctx.node.outputs;
    return [() => e.op('Mul', [ctx.g, e.op('Mul', [y, e.op('Sub', [e.scalarLike(1, y), y])])])];
  },
};
