import { attr, floatAttr } from '@biaslab/onnx';
import type { VjpRule } from '../rule';

/** y = x for x ≥ 0, αx otherwise  ⇒  x̄ = Where(x > 0, ȳ, α·ȳ) (slope α at the kink). */
export const LeakyRelu: VjpRule = {
  op: 'LeakyRelu',
  since: 6,
  samples: [
    { label: 'default alpha', inputs: [{ float: [3, 4], range: [0.1, 1.5], signed: true }] },
    {
      label: 'alpha 0.3',
      inputs: [{ float: [2, 3], range: [0.1, 1.5], signed: true }],
      attributes: { alpha: attr.float(0.3) },
    },
  ],
  vjp: (ctx) => {
    const { e } = ctx;
    const [x] = ctx.node.inputs;
    const alpha = floatAttr(ctx.node.attributes, 'alpha', 0.01);
    return [
      () =>
        e.op('Where', [
          e.op('Greater', [x, e.scalarLike(0, x)]),
          ctx.g,
          e.op('Mul', [ctx.g, e.scalarLike(alpha, x)]),
        ]),
    ];
  },
};
