import { DATA_TYPE_CODE, attr } from '@biaslab/onnx';
import type { VjpRule } from '../rule';

const FLOATS = new Set(['float32', 'float64']);

/** y = cast(x)  ⇒  x̄ = cast back(ȳ) for a float-to-float cast; integer inputs get no cotangent. */
export const Cast: VjpRule = {
  op: 'Cast',
  since: 6,
  samples: [
    {
      label: 'to float32',
      inputs: [{ float: [2, 3] }],
      attributes: { to: attr.int(DATA_TYPE_CODE.float32) },
    },
    { label: 'same dtype', inputs: [{ float: [3] }], attributes: { to: attr.int(DATA_TYPE_CODE.float64) } },
  ],
  vjp: (ctx) => {
    const [x] = ctx.node.inputs;
    const from = ctx.type(x).dtype;
    if (!FLOATS.has(from)) return [undefined];
    return [
      () =>
        ctx.type(ctx.g).dtype === from
          ? ctx.g
          : ctx.e.op('Cast', [ctx.g], { to: attr.int(DATA_TYPE_CODE[from]) }),
    ];
  },
};
