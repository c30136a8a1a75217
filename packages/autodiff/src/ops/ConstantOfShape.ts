import { sizeOf } from '@biaslab/core';
import { MAX_TRACKED } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** y = a tensor of the known shape input filled with `value` (float32 0 by default); small int fills are known. */
const constantOfShapeShape: ShapeRule = (ctx) => {
  const shape = ctx.known(0, 'shape');
  const v = ctx.attributes.value?.type === 'tensor' ? ctx.attributes.value.value : undefined;
  const dtype = v?.dtype ?? 'float32';
  const fill = v ? Number(v.data[0]) : 0;
  const n = sizeOf(shape);
  const tracked = (dtype === 'int64' || dtype === 'int32') && n <= MAX_TRACKED;
  return [{ dtype, shape, ...(tracked ? { value: new Array<number>(n).fill(fill) } : {}) }];
};

/** A constant tensor of a computed shape (shape computations of exported models): nothing to differentiate. */
export const ConstantOfShape = defineOp({ op: 'ConstantOfShape', shape: constantOfShapeShape });
