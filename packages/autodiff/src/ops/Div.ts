import { defineOp } from '../op-definition';
import { arithmeticShape } from '../shape-families';

/** y = a / b  ⇒  ā = ȳ / b, b̄ = −ȳ·y / b. */
export const Div = defineOp({
  op: 'Div',
  shape: arithmeticShape({ value: (u, v) => Math.trunc(u / v) }),
  vjp: [
    {
      since: 7,
      samples: [
        {
          label: 'same shape',
          inputs: [{ float: [2, 3] }, { float: [2, 3], range: [0.5, 2], signed: true }],
        },
        {
          label: 'broadcast divisor',
          inputs: [{ float: [2, 3] }, { float: [3], range: [0.5, 2], signed: true }],
        },
        { label: 'broadcast dividend', inputs: [{ float: [] }, { float: [2, 2], range: [0.5, 2] }] },
      ],
      vjp: (ctx) => {
        const [, b] = ctx.node.inputs;
        const [y] = ctx.node.outputs;
        return [
          () => ctx.e.op('Div', [ctx.g, b]),
          () => ctx.e.op('Neg', [ctx.e.op('Div', [ctx.e.op('Mul', [ctx.g, y]), b])]),
        ];
      },
    },
  ],
});
