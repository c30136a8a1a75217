import { DATA_TYPE_CODE, attr } from '@biaslab/onnx';
import { defineOp } from '../op-definition';
import { arithmeticShape } from '../shape-families';

/** y = aᵇ  ⇒  ā = ȳ·b·aᵇ⁻¹, b̄ = ȳ·y·ln a (the latter only for a float exponent; needs a > 0). */
export const Pow = defineOp({
  op: 'Pow',
  shape: arithmeticShape({ mixedDtypes: true }),
  vjp: [
    {
      since: 7,
      samples: [
        {
          label: 'same shape',
          inputs: [
            { float: [2, 3], range: [0.5, 2] },
            { float: [2, 3], range: [-1.5, 1.5] },
          ],
        },
        {
          label: 'scalar exponent',
          inputs: [
            { float: [3, 2], range: [0.5, 2] },
            { float: [], range: [0.5, 2.5] },
          ],
        },
        {
          label: 'rank mismatch',
          inputs: [
            { float: [2], range: [0.5, 2] },
            { float: [3, 2], range: [-1, 2] },
          ],
        },
      ],
      vjp: (ctx) => {
        const { e } = ctx;
        const [a, b] = ctx.node.inputs;
        const [y] = ctx.node.outputs;
        const dtype = ctx.type(a).dtype;
        const floatExponent = ctx.type(b).dtype === dtype;
        return [
          () => {
            const bf = floatExponent ? b : e.op('Cast', [b], { to: attr.int(DATA_TYPE_CODE[dtype]) });
            const slope = e.op('Mul', [bf, e.op('Pow', [a, e.op('Sub', [bf, e.scalar(1, dtype)])])]);
            return e.op('Mul', [ctx.g, slope]);
          },
          floatExponent ? () => e.op('Mul', [ctx.g, e.op('Mul', [y, e.op('Log', [a])])]) : undefined,
        ];
      },
    },
  ],
});
