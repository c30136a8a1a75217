import { intAttr } from '@biaslab/onnx';
import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';
import { AXIS_SAMPLES } from './Softmax';

/**
 * y = x − logΣexp(x) along `axis`  ⇒  x̄ = ȳ − softmax(x)·Σ_axis ȳ, with softmax(x) = exp(y) (stable: y ≤ 0).
 * Opset 13 made `axis` a single axis (default −1).
 */
export const LogSoftmax = defineOp({
  op: 'LogSoftmax',
  shape: sameType,
  vjp: [
    {
      since: 13,
      samples: AXIS_SAMPLES,
      vjp: (ctx) => {
        const { e } = ctx;
        const [y] = ctx.node.outputs;
        const axis = intAttr(ctx.node.attributes, 'axis', -1);
        return [
          () => e.op('Sub', [ctx.g, e.op('Mul', [e.op('Exp', [y]), e.reduceSum(ctx.g, [axis], true)])]),
        ];
      },
    },
  ],
});
