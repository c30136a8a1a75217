import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** ¬x keeps x's shape and is bool. */
const notShape: ShapeRule = (ctx) => [{ dtype: 'bool', shape: ctx.input(0).shape }];

/** y = ¬x, a bool output (shape computations only). */
export const Not = defineOp({ op: 'Not', shape: notShape });
