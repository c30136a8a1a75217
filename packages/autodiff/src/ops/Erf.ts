import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** y = erf(x)  ⇒  x̄ = ȳ·(2/√π)·exp(−x²). */
export const Erf = defineOp({
  op: 'Erf',
  shape: sameType,
  vjp: [
    {
      since: 9,
      samples: [{ label: 'matrix', inputs: [{ float: [3, 4], range: [0, 2], signed: true }] }],
      vjp: (ctx) => {
        const { e } = ctx;
        const [x] = ctx.node.inputs;
        const density = e.op('Exp', [e.op('Neg', [e.op('Mul', [x, x])])]);
        return [() => e.op('Mul', [ctx.g, e.op('Mul', [density, e.scalarLike(2 / Math.sqrt(Math.PI), x)])])];
      },
    },
  ],
  float64: { reason: 'no float64 kernel at any opset; run in float32 or use the tanh form of GELU' },
});
