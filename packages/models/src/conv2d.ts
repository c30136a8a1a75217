import type { FloatDType } from '@biaslab/core';
import type { GraphBuilder } from '@biaslab/onnx';

/** A square 2-D convolution's geometry on an input of C × H × W. */
export interface Conv2dGeometry {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly height: number;
  readonly width: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
}

/** Output height and width: ⌊(H + 2p − k)/s⌋ + 1, as PyTorch's nn.Conv2d (dilation 1). */
export function convOutputSize(geometry: Conv2dGeometry): [number, number] {
  const { height, width, kernel, stride, padding } = geometry;
  return [
    Math.floor((height + 2 * padding - kernel) / stride) + 1,
    Math.floor((width + 2 * padding - kernel) / stride) + 1,
  ];
}

/**
 * y = conv2d(x, W) + b for x [N, C, H, W], W [O, C, k, k] (PyTorch's layout, cross-correlation), b [O], written
 * as im2col + MatMul with ops that have autodiff rules and float64 kernels (onnxruntime has no float64 Conv):
 *   xp = Pad(x, p) (zeros);  for each tap (i, j): S_ij = xp[:, :, i : i + s(H_o − 1) + 1 : s, j : … : s]  [N, C, H_o, W_o]
 *   cols = Concat_ij S_ij along channels → [N, k²C, H_o·W_o]  (row (i·k + j)·C + c)
 *   W_m = Reshape(Transpose(W, [0, 2, 3, 1]), [O, k²C])  (the same row order)
 *   y = W_m · cols + b  → [N, O, H_o, W_o]
 * Returns the value name of y.
 */
export function conv2dNode(
  g: GraphBuilder,
  x: string,
  weight: string,
  bias: string | undefined,
  geometry: Conv2dGeometry,
  dtype: FloatDType,
): string {
  const { inChannels: C, outChannels: O, kernel: k, stride: s, padding: p } = geometry;
  const [Ho, Wo] = convOutputSize(geometry);
  const padded =
    p > 0
      ? g.op(
          'Pad',
          [x, g.int64s([0, 0, p, p, 0, 0, p, p], 'pads'), g.scalar(0, dtype, 'pad_value')],
          {},
          'padded',
        )
      : x;
  const taps: string[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      // a 1×1 kernel at stride 1 sees the whole (padded) input
      const whole = k === 1 && s === 1;
      taps.push(
        whole
          ? padded
          : g.op(
              'Slice',
              [
                padded,
                g.int64s([i, j], 'starts'),
                g.int64s([i + s * (Ho - 1) + 1, j + s * (Wo - 1) + 1], 'ends'),
                g.int64s([2, 3], 'axes'),
                g.int64s([s, s], 'steps'),
              ],
              {},
              `tap_${i}_${j}`,
            ),
      );
    }
  }
  const stacked =
    taps.length === 1 ? taps[0] : g.op('Concat', taps, { axis: { type: 'int', value: 1 } }, 'im2col');
  const cols = g.op('Reshape', [stacked, g.int64s([0, k * k * C, Ho * Wo], 'cols_shape')], {}, 'cols');
  const kernelRows =
    k === 1
      ? g.op('Reshape', [weight, g.int64s([O, C], 'w_shape')], {}, 'w_matrix')
      : g.op(
          'Reshape',
          [
            g.op('Transpose', [weight], { perm: { type: 'ints', value: [0, 2, 3, 1] } }, 'w_taps_last'),
            g.int64s([O, k * k * C], 'w_shape'),
          ],
          {},
          'w_matrix',
        );
  // y = W_m · cols (+ b), one [O, k²C]·[k²C, H_o·W_o] product per sample
  let y = g.op('MatMul', [kernelRows, cols], {}, 'conv');
  if (bias)
    y = g.op(
      'Add',
      [y, g.op('Reshape', [bias, g.int64s([O, 1], 'b_shape')], {}, 'b_column')],
      {},
      'conv_bias',
    );
  return g.op('Reshape', [y, g.int64s([0, O, Ho, Wo], 'y_shape')], {}, 'conv_out');
}
