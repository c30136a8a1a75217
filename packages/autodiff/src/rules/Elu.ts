import { attr, floatAttr } from '@biaslab/onnx';
import type { VjpRule } from '../rule';

/** y = x for x > 0, α(eˣ − 1) otherwise  ⇒  x̄ = Where(x > 0, ȳ, ȳ·(y + α)), since αeˣ = y + α there. */
export const Elu: VjpRule = {
  op: 'Elu',
  since: 6,
  samples: [
    { label: 'default alpha', inputs: [{ float: [3, 4], range: [0.1, 1.5], signed: true }] },
    {
      label: 'alpha 0.5',
      inputs: [{ float: [2, 3], range: [0.1, 1.5], signed: true }],
      attributes: { alpha: attr.float(0.5) },
    },
  ],
  vjp: (ctx) => {
    const { e } = ctx;
    const [x] = ctx.node.inputs;
    const [y] = ctx.node.outputs;
    const alpha = floatAttr(ctx.node.attributes, 'alpha', 1);
    return [
      () =>
        e.op('Where', [
          e.op('Greater', [x, e.scalarLike(0, x)]),
          ctx.g,
          e.op('Mul', [ctx.g, e.op('Add', [y, e.scalarLike(alpha, y)])]),
        ]),
    ];
  },
};
