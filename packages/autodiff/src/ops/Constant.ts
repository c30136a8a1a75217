import { attr, typeOfTensor } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** y = the `value` (or `value_float(s)`, `value_int(s)`) attribute: its type, and its contents when small ints. */
const constantShape: ShapeRule = (ctx) => {
  const a = ctx.attributes;
  const v = a.value ?? a.value_float ?? a.value_floats ?? a.value_int ?? a.value_ints;
  if (!v)
    return ctx.fail(
      'needs one of `value`, `value_float(s)`, `value_int(s)` (sparse and string constants are unsupported)',
    );
  switch (v.type) {
    case 'tensor':
      return [typeOfTensor(v.value)];
    case 'float':
      return [{ dtype: 'float32', shape: [] }];
    case 'floats':
      return [{ dtype: 'float32', shape: [v.value.length] }];
    case 'int':
      return [{ dtype: 'int64', shape: [], value: [v.value] }];
    case 'ints':
      return [{ dtype: 'int64', shape: [v.value.length], value: [...v.value] }];
    default:
      return ctx.fail(`attribute of type \`${v.type}\` is unsupported`);
  }
};

/** A constant has no inputs, so nothing to send a cotangent to. */
export const Constant = defineOp({
  op: 'Constant',
  shape: constantShape,
  vjp: [
    {
      since: 1,
      samples: [
        {
          label: 'tensor',
          inputs: [],
          attributes: { value: attr.tensor({ dtype: 'float64', shape: [2], data: Float64Array.of(1, 2) }) },
        },
      ],
      vjp: () => [],
    },
  ],
});
