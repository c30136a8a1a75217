import { defineOp } from '../op-definition';
import { arithmeticShape } from '../shape-families';
import { BINARY_SAMPLES } from './Add';

/** y = a·b  ⇒  ā = ȳ·b, b̄ = ȳ·a. */
export const Mul = defineOp({
  op: 'Mul',
  shape: arithmeticShape({ value: (u, v) => u * v }),
  vjp: [
    {
      since: 7,
      samples: BINARY_SAMPLES,
      vjp: (ctx) => {
        const [a, b] = ctx.node.inputs;
        return [() => ctx.e.op('Mul', [ctx.g, b]), () => ctx.e.op('Mul', [ctx.g, a])];
      },
    },
  ],
});
