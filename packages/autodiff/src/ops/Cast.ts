import type { DType } from '@biaslab/core';
import { DATA_TYPE_CODE, attr, intAttr } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

const FLOATS = new Set(['float32', 'float64']);

const DTYPE_OF_CODE = new Map<number, DType>(Object.entries(DATA_TYPE_CODE).map(([k, v]) => [v, k as DType]));

/** y = cast(x, to): x's shape in the dtype `to`; known ints stay known (truncated). */
const castShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const dtype = DTYPE_OF_CODE.get(intAttr(ctx.attributes, 'to', -1));
  if (!dtype)
    ctx.fail(`attribute \`to\` = ${intAttr(ctx.attributes, 'to', -1)} is not a dtype biaslab handles`);
  const intOut = dtype === 'int64' || dtype === 'int32';
  return [
    { dtype: dtype!, shape: x.shape, ...(intOut && x.value ? { value: x.value.map(Math.trunc) } : {}) },
  ];
};

/** y = cast(x)  ⇒  x̄ = cast back(ȳ) for a float-to-float cast; integer inputs get no cotangent. */
export const Cast = defineOp({
  op: 'Cast',
  shape: castShape,
  vjp: [
    {
      since: 6,
      samples: [
        {
          label: 'to float32',
          inputs: [{ float: [2, 3] }],
          attributes: { to: attr.int(DATA_TYPE_CODE.float32) },
        },
        {
          label: 'same dtype',
          inputs: [{ float: [3] }],
          attributes: { to: attr.int(DATA_TYPE_CODE.float64) },
        },
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
    },
  ],
});
