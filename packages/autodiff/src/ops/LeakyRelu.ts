import type { GraphNode } from '@biaslab/core';
import { attr, floatAttr } from '@biaslab/onnx';
import type { Emitter } from '../emitter';
import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** LeakyRelu as Where(x > 0, x, α·x). */
function lowerLeakyRelu(e: Emitter, node: GraphNode): string {
  const [x] = node.inputs;
  const alpha = floatAttr(node.attributes, 'alpha', 0.01);
  return e.op('Where', [
    e.op('Greater', [x, e.scalarLike(0, x)]),
    x,
    e.op('Mul', [x, e.scalarLike(alpha, x)]),
  ]);
}

/** y = x for x ≥ 0, αx otherwise  ⇒  x̄ = Where(x > 0, ȳ, α·ȳ) (slope α at the kink). */
export const LeakyRelu = defineOp({
  op: 'LeakyRelu',
  shape: sameType,
  vjp: [
    {
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
    },
  ],
  float64: {
    reason: 'float64 only at opsets 16–18; elsewhere write Where(x > 0, x, α·x) or run in float32',
    kernel: (_, opset) => opset >= 16 && opset <= 18,
    lowering: { emit: lowerLeakyRelu },
  },
});
