import type { GraphNode } from '@biaslab/core';
import { attr, floatAttr } from '@biaslab/onnx';
import type { Emitter } from '../emitter';
import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** Elu as Where(x > 0, x, α(e^min(x,0) − 1)); the clamp keeps the unused branch finite (no NaN cotangents). */
function lowerElu(e: Emitter, node: GraphNode): string {
  const [x] = node.inputs;
  const alpha = floatAttr(node.attributes, 'alpha', 1);
  const positive = e.op('Greater', [x, e.scalarLike(0, x)]);
  const clamped = e.op('Where', [positive, e.scalarLike(0, x), x]);
  const neg = e.op('Mul', [
    e.op('Sub', [e.op('Exp', [clamped]), e.scalarLike(1, x)]),
    e.scalarLike(alpha, x),
  ]);
  return e.op('Where', [positive, x, neg]);
}

/** y = x for x > 0, α(eˣ − 1) otherwise  ⇒  x̄ = Where(x > 0, ȳ, ȳ·(y + α)), since αeˣ = y + α there. */
export const Elu = defineOp({
  op: 'Elu',
  shape: sameType,
  vjp: [
    {
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
    },
  ],
  float64: {
    reason: 'float64 only at opset 18; elsewhere write Where(x > 0, x, α·(Exp(x) − 1)) or run in float32',
    kernel: (_, opset) => opset === 18,
    lowering: { emit: lowerElu },
  },
});
