import { sizeOf } from '@biaslab/core';
import type { GraphNode } from '@biaslab/core';
import { attr, intAttr } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import type { Emitter } from '../emitter';
import { defineOp } from '../op-definition';
import type { RuleSample } from '../rule';
import {
  convGroup,
  convInputGrad,
  convWeightGrad,
  exactPads,
  kernelTaps,
  padSpatial,
  readTap,
  windowOf,
} from '../window';
import { convGeometry } from '../window-geometry';

const SAME_UPPER = attr.string('SAME_UPPER');
/**
 * Conv has no float64 kernel, so its conformance runs in float32 with step 1e-2; inputs in ±0.5 keep the
 * third-order truncation of the central differences (∝ h²·|Δy|³) inside the float32 tolerances.
 */
const R = [-0.5, 0.5] as const;

/** Conv samples: 1-D and 2-D, strides, explicit and automatic pads, dilations, groups, a bias. */
const SAMPLES: readonly RuleSample[] = [
  {
    label: '2-D plain with bias',
    inputs: [
      { float: [2, 3, 5, 4], range: R },
      { float: [4, 3, 3, 2], range: R },
      { float: [4], range: R },
    ],
  },
  {
    label: '2-D strides, pads, dilations',
    inputs: [
      { float: [2, 2, 7, 6], range: R },
      { float: [3, 2, 2, 3], range: R },
    ],
    attributes: {
      strides: attr.ints([2, 3]),
      pads: attr.ints([1, 0, 2, 2]),
      dilations: attr.ints([2, 1]),
    },
  },
  {
    label: '2-D groups 2, stride 2, unread tail',
    inputs: [
      { float: [1, 4, 6, 5], range: R },
      { float: [6, 2, 2, 2], range: R },
      { float: [6], range: R },
    ],
    attributes: { group: attr.int(2), strides: attr.ints([2, 2]) },
  },
  {
    label: '2-D depthwise SAME_UPPER stride 2',
    inputs: [
      { float: [2, 3, 5, 5], range: R },
      { float: [3, 1, 3, 3], range: R },
    ],
    attributes: { group: attr.int(3), strides: attr.ints([2, 2]), auto_pad: SAME_UPPER },
  },
  {
    label: '2-D SAME_LOWER even kernel',
    inputs: [
      { float: [1, 2, 4, 5], range: R },
      { float: [2, 2, 2, 2], range: R },
    ],
    attributes: { auto_pad: attr.string('SAME_LOWER') },
  },
  {
    label: '2-D VALID',
    inputs: [
      { float: [2, 2, 4, 4], range: R },
      { float: [2, 2, 3, 2], range: R },
    ],
    attributes: { auto_pad: attr.string('VALID'), strides: attr.ints([1, 2]) },
  },
  {
    label: '1-D stride 2 pads dilation 2',
    inputs: [
      { float: [2, 3, 9], range: R },
      { float: [2, 3, 3], range: R },
      { float: [2], range: R },
    ],
    attributes: { strides: attr.ints([2]), pads: attr.ints([2, 1]), dilations: attr.ints([2]) },
  },
  {
    label: '1-D groups 3 SAME_UPPER',
    inputs: [
      { float: [2, 3, 7], range: R },
      { float: [6, 1, 4], range: R },
    ],
    attributes: { group: attr.int(3), auto_pad: SAME_UPPER },
  },
];

/** Y = conv(X [N, C, s…], W [M, C/group, k…]) → [N, M, out…] (see `convGeometry`). */
const convShape: ShapeRule = (ctx) => {
  const [x, w] = [ctx.input(0), ctx.input(1)];
  const group = intAttr(ctx.attributes, 'group', 1);
  if (x.shape.length < 3 || w.shape.length !== x.shape.length)
    ctx.fail(
      `X [N, C, spatial…] and W [M, C/group, kernel…] must have the same rank ≥ 3, received [${x.shape.join(', ')}] and [${w.shape.join(', ')}]`,
    );
  if (x.shape[1] !== w.shape[1] * group || w.shape[0] % group !== 0)
    ctx.fail(`channels do not match: X has ${x.shape[1]}, W expects ${w.shape[1]} × group ${group}`);
  const geo = convGeometry(x.shape.slice(2), w.shape.slice(2), ctx.attributes);
  if (geo.out.some((o) => o < 1))
    ctx.fail(`the kernel does not fit: output spatial size [${geo.out.join(', ')}]`);
  return [{ dtype: x.dtype, shape: [x.shape[0], w.shape[0], ...geo.out] }];
};

/**
 * Conv as im2col + MatMul: the input padded exactly (`exactPads`), each kernel tap read by a strided Slice,
 * the taps stacked to patches P [N, G, C/G·K, L] (L output positions), and Y = W [G, M/G, C/G·K] · P.
 */
function lowerConv(e: Emitter, node: GraphNode): string {
  const [x, w, b] = node.inputs;
  const [n, , ...spatial] = e.type(x).shape;
  const [m, cg, ...kernel] = e.type(w).shape;
  const geo = windowOf(node, e.type(x).shape, kernel);
  const group = convGroup(node);
  const { begin, end } = exactPads(geo, spatial);
  const xpad = padSpatial(e, x, begin, end);
  const taps = kernelTaps(kernel);
  const l = sizeOf(geo.out);
  const cols = taps.map((k) => e.reshape(readTap(e, xpad, geo, k), [n, group, cg, 1, l]));
  const stacked = cols.length === 1 ? cols[0] : e.op('Concat', cols, { axis: attr.int(3) });
  const patches = e.reshape(stacked, [n, group, cg * taps.length, l]);
  const wm = e.reshape(w, [group, m / group, cg * taps.length]);
  const y = e.reshape(e.op('MatMul', [wm, patches]), [n, m, ...geo.out]);
  return b ? e.op('Add', [y, e.reshape(b, [1, m, ...geo.out.map(() => 1)])]) : y;
}

/**
 * Y = Conv(X, W, B) (N-D, strides, pads or auto_pad, dilations, groups). X̄ is a Conv of the stride-upsampled,
 * padded cotangent with the flipped, channel-swapped kernel; W̄ a Conv of X against Ȳ with batch and channel
 * axes swapped (stride and dilation exchanged); B̄ = Σ Ȳ over batch and spatial axes. Only Conv, Pad, Slice,
 * Reshape and Transpose are emitted, so the closure of Conv is Conv itself. onnxruntime has no float64 Conv:
 * `lowerForFloat64` rewrites it to im2col + MatMul.
 */
export const Conv = defineOp({
  op: 'Conv',
  shape: convShape,
  vjp: [
    {
      since: 11,
      samples: SAMPLES,
      vjp: (ctx) => {
        const { e, node } = ctx;
        const [x, w, b] = node.inputs;
        const xShape = ctx.type(x).shape;
        const wShape = ctx.type(w).shape;
        const geo = windowOf(node, xShape, wShape.slice(2));
        const group = convGroup(node);
        return [
          () => convInputGrad(e, ctx.g, w, geo, group, xShape.slice(2)),
          () => convWeightGrad(e, x, ctx.g, geo, group),
          b ? () => e.reduceSum(ctx.g, [0, ...xShape.slice(2).map((_, i) => i + 2)], false) : undefined,
        ];
      },
    },
  ],
  float64: { reason: 'no float64 kernel at any opset; run in float32', lowering: { emit: lowerConv } },
});
