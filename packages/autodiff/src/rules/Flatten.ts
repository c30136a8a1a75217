import { attr } from '@biaslab/onnx';
import type { VjpRule } from '../rule';

/** y = flatten(x)  ⇒  x̄ = reshape(ȳ, shape of x). */
export const Flatten: VjpRule = {
  op: 'Flatten',
  since: 1,
  samples: [
    { label: 'axis 1', inputs: [{ float: [2, 3, 2] }] },
    { label: 'axis 2', inputs: [{ float: [2, 3, 2] }], attributes: { axis: attr.int(2) } },
  ],
  vjp: (ctx) => [() => ctx.e.reshape(ctx.g, ctx.type(ctx.node.inputs[0]).shape)],
};
