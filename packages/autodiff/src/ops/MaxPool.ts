import { DATA_TYPE_CODE, attr } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';
import { exactPads, kernelTaps, padSpatial, poolKernel, readTap, windowOf, writeTap } from '../window';
import { poolType } from '../window-geometry';

/** Y = maxpool(X) [N, C, out…], and the optional int64 indices of the maxima, of Y's shape. */
const maxPoolShape: ShapeRule = (ctx) => {
  const y = poolType(ctx);
  return ctx.node.outputs.length > 1 ? [y, { dtype: 'int64', shape: y.shape }] : [y];
};

/**
 * Y = MaxPool(X) (N-D; strides, pads or auto_pad, dilations, ceil_mode)  ⇒  each Ȳ[o] goes to the position of
 * its window's maximum. Ties: the first maximal tap in row-major kernel order takes all of Ȳ[o] — the
 * position onnxruntime's `Indices` output names (PyTorch's max_pool backward does the same). Written with
 * the taps of X padded by −∞: hitₖ = [tapₖ(X) = Y], selₖ = hitₖ·(1 − Σ_{j<k} selⱼ), X̄ = Σₖ scatterₖ(Ȳ·selₖ),
 * emitting Pad, Slice, Equal, Cast, Mul, Sub, Add and Reshape only (all with rules and float64 kernels).
 * The masks are piecewise constant, so second derivatives through MaxPool are zero almost everywhere.
 */
export const MaxPool = defineOp({
  op: 'MaxPool',
  shape: maxPoolShape,
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
          label: '2-D 3×3 overlapping, pads 1',
          inputs: [{ float: [1, 2, 5, 4] }],
          attributes: { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) },
        },
        {
          label: '2-D SAME_UPPER stride 2',
          inputs: [{ float: [2, 2, 5, 5] }],
          attributes: {
            kernel_shape: attr.ints([2, 3]),
            strides: attr.ints([2, 2]),
            auto_pad: attr.string('SAME_UPPER'),
          },
        },
        {
          label: '2-D ceil_mode',
          inputs: [{ float: [1, 2, 5, 6] }],
          attributes: { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]), ceil_mode: attr.int(1) },
        },
        {
          label: '1-D dilation 2, pads',
          inputs: [{ float: [2, 3, 9] }],
          attributes: {
            kernel_shape: attr.ints([3]),
            dilations: attr.ints([2]),
            pads: attr.ints([2, 1]),
            strides: attr.ints([2]),
          },
        },
      ],
      vjp: (ctx) => {
        const { e, node } = ctx;
        const [x] = node.inputs;
        const [y] = node.outputs;
        const xShape = ctx.type(x).shape;
        const geo = windowOf(node, xShape, poolKernel(node));
        return [
          () => {
            const { begin, end } = exactPads(geo, xShape.slice(2));
            const xpad = padSpatial(e, x, begin, end, -Infinity);
            const padded = ctx.type(xpad).shape;
            const to = attr.int(DATA_TYPE_CODE[ctx.type(x).dtype]);
            let found: string | undefined;
            let sum: string | undefined;
            for (const k of kernelTaps(geo.kernel)) {
              const hit = e.op('Cast', [e.op('Equal', [readTap(e, xpad, geo, k), y])], { to });
              // only the first maximal tap of each window takes the cotangent
              const sel = found ? e.op('Mul', [hit, e.op('Sub', [e.scalarLike(1, hit), found])]) : hit;
              found = found ? e.op('Add', [found, sel]) : sel;
              const part = writeTap(e, e.op('Mul', [ctx.g, sel]), padded, geo, k);
              sum = sum ? e.op('Add', [sum, part]) : part;
            }
            return padSpatial(
              e,
              sum!,
              begin.map((v) => -v),
              end.map((v) => -v),
            );
          },
        ];
      },
    },
  ],
});
