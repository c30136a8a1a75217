import { attr, intAttr } from '@biaslab/onnx';
import { defineOp } from '../op-definition';
import type { RuleSample } from '../rule';
import { sameType } from '../shape-families';

/** Conformance samples of the single-axis (opset ≥ 13) normalisations along one axis, shared with LogSoftmax. */
export const AXIS_SAMPLES: readonly RuleSample[] = [
  { label: 'last axis', inputs: [{ float: [3, 4] }] },
  { label: 'axis 0', inputs: [{ float: [3, 4] }], attributes: { axis: attr.int(0) } },
];

/** y = softmax(x) along `axis`  ⇒  x̄ = y ⊙ (ȳ − Σ_axis ȳ⊙y). Opset 13 made `axis` a single axis (default −1). */
export const Softmax = defineOp({
  op: 'Softmax',
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
          () => e.op('Mul', [y, e.op('Sub', [ctx.g, e.reduceSum(e.op('Mul', [ctx.g, y]), [axis], true)])]),
        ];
      },
    },
  ],
});
