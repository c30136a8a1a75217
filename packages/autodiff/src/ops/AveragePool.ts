import type { GraphNode } from '@biaslab/core';
import { attr, intAttr } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import type { Emitter } from '../emitter';
import { defineOp } from '../op-definition';
import {
  averageDivisors,
  constantLike,
  convInputGrad,
  exactPads,
  kernelTaps,
  padSpatial,
  poolKernel,
  readTap,
  windowOf,
} from '../window';
import { poolType } from '../window-geometry';

/** AveragePool as the sum of its taps over the zero-padded input times the reciprocal window sizes. */
function lowerAveragePool(e: Emitter, node: GraphNode): string {
  const [x] = node.inputs;
  const spatial = e.type(x).shape.slice(2);
  const geo = windowOf(node, e.type(x).shape, poolKernel(node));
  const { begin, end } = exactPads(geo, spatial);
  const xpad = padSpatial(e, x, begin, end);
  const sum = kernelTaps(geo.kernel)
    .map((k) => readTap(e, xpad, geo, k))
    .reduce((s, t) => e.op('Add', [s, t]));
  const div = averageDivisors(geo, spatial, intAttr(node.attributes, 'count_include_pad', 0) === 1);
  const scale = typeof div === 'number' ? e.scalarLike(div, x) : constantLike(e, x, div.shape, div.values);
  return e.op('Mul', [sum, scale]);
}

/** Y = averagepool(X): [N, C, out…] (see `convGeometry`). */
const averagePoolShape: ShapeRule = (ctx) => [poolType(ctx)];

/**
 * Y = AveragePool(X) (N-D; strides, pads or auto_pad, ceil_mode, count_include_pad; dilations from opset 19)
 * ⇒ X̄ = the input gradient of a depthwise Conv with an all-ones kernel applied to Ȳ/|window| (window sizes
 * as onnxruntime counts them: padded positions included or not, a ceil_mode overhang never). Emits Mul, Conv
 * and the ops of Conv's input gradient. onnxruntime has no float64 AveragePool: `lowerForFloat64` rewrites it.
 */
export const AveragePool = defineOp({
  op: 'AveragePool',
  shape: averagePoolShape,
  vjp: [
    {
      since: 11,
      samples: [
        {
          label: '2-D 2×2 stride 2',
          inputs: [{ float: [2, 3, 4, 6] }],
          attributes: { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) },
        },
        {
          label: '2-D 3×3 pads 1, padding not counted',
          inputs: [{ float: [1, 2, 5, 4] }],
          attributes: { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) },
        },
        {
          label: '2-D 3×2 pads, padding counted, stride 2',
          inputs: [{ float: [2, 2, 6, 5] }],
          attributes: {
            kernel_shape: attr.ints([3, 2]),
            pads: attr.ints([1, 0, 2, 1]),
            strides: attr.ints([2, 2]),
            count_include_pad: attr.int(1),
          },
        },
        {
          label: '2-D SAME_LOWER',
          inputs: [{ float: [1, 3, 5, 4] }],
          attributes: { kernel_shape: attr.ints([2, 3]), auto_pad: attr.string('SAME_LOWER') },
        },
        {
          label: '1-D ceil_mode, pads',
          inputs: [{ float: [2, 2, 8] }],
          attributes: {
            kernel_shape: attr.ints([3]),
            strides: attr.ints([2]),
            pads: attr.ints([1, 0]),
            ceil_mode: attr.int(1),
          },
        },
        {
          label: '1-D ceil_mode overhang, padding counted',
          inputs: [{ float: [2, 2, 6] }],
          attributes: {
            kernel_shape: attr.ints([3]),
            strides: attr.ints([2]),
            ceil_mode: attr.int(1),
            count_include_pad: attr.int(1),
          },
        },
      ],
      vjp: (ctx) => {
        const { e, node } = ctx;
        const [x] = node.inputs;
        const xShape = ctx.type(x).shape;
        const geo = windowOf(node, xShape, poolKernel(node));
        const div = averageDivisors(
          geo,
          xShape.slice(2),
          intAttr(node.attributes, 'count_include_pad', 0) === 1,
        );
        return [
          () => {
            const scale =
              typeof div === 'number'
                ? e.scalarLike(div, ctx.g)
                : constantLike(e, ctx.g, div.shape, div.values);
            const ones = e.expand(e.scalarLike(1, ctx.g), [xShape[1], 1, ...geo.kernel]);
            return convInputGrad(e, e.op('Mul', [ctx.g, scale]), ones, geo, xShape[1], xShape.slice(2));
          },
        ];
      },
    },
  ],
  float64: { reason: 'no float64 kernel at any opset; run in float32', lowering: { emit: lowerAveragePool } },
});
