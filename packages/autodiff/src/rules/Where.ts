import type { VjpRule } from '../rule';

/** y = c ? a : b  ⇒  ā = c ? ȳ : 0, b̄ = c ? 0 : ȳ; the bool condition gets none. */
export const Where: VjpRule = {
  op: 'Where',
  since: 9,
  samples: [
    {
      label: 'same shape',
      inputs: [{ bool: [1, 0, 1, 1, 0, 0], shape: [2, 3] }, { float: [2, 3] }, { float: [2, 3] }],
    },
    { label: 'broadcast', inputs: [{ bool: [1, 0, 1], shape: [3, 1] }, { float: [3, 4] }, { float: [4] }] },
    { label: 'scalar branch', inputs: [{ bool: [0, 1], shape: [2] }, { float: [] }, { float: [3, 2] }] },
  ],
  vjp: (ctx) => {
    const { e } = ctx;
    const [c] = ctx.node.inputs;
    const zero = () => e.scalarLike(0, ctx.g);
    return [undefined, () => e.op('Where', [c, ctx.g, zero()]), () => e.op('Where', [c, zero(), ctx.g])];
  },
};
