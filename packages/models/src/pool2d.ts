import { attr } from '@biaslab/onnx';
import type { GraphBuilder } from '@biaslab/onnx';

export type PoolKind = 'max' | 'avg';

/**
 * 2 × 2 pooling with stride 2 (PyTorch's MaxPool2d(2) / AvgPool2d(2)) of x [N, C, H, W] → [N, C, ⌊H/2⌋, ⌊W/2⌋]:
 * an odd last row or column is dropped (Slice), the windows are exposed by Reshape to [N, C, H/2, 2, W/2, 2]
 * and reduced over axes 3 and 5 with ReduceMax or ReduceMean (both have autodiff rules and float64 kernels;
 * the MaxPool and AveragePool ops are not used). At ties the max's gradient is split equally between the tied
 * entries (the ReduceMax rule), where PyTorch's MaxPool2d sends all of it to the first.
 */
export function pool2dNode(
  g: GraphBuilder,
  x: string,
  kind: PoolKind,
  shape: readonly [number, number, number],
): string {
  const [C, H, W] = shape;
  const Ho = Math.floor(H / 2);
  const Wo = Math.floor(W / 2);
  const even =
    H % 2 === 0 && W % 2 === 0
      ? x
      : g.op(
          'Slice',
          [x, g.int64s([0, 0], 'starts'), g.int64s([2 * Ho, 2 * Wo], 'ends'), g.int64s([2, 3], 'axes')],
          {},
          'crop',
        );
  const windows = g.op('Reshape', [even, g.int64s([0, C, Ho, 2, Wo, 2], 'window_shape')], {}, 'windows');
  return g.op(
    kind === 'max' ? 'ReduceMax' : 'ReduceMean',
    [windows],
    { axes: attr.ints([3, 5]), keepdims: attr.int(0) },
    `${kind}pool`,
  );
}

/** Global average pooling x [N, C, H, W] → [N, C] (ReduceMean over the spatial axes; float64-capable). */
export function globalAvgPoolNode(g: GraphBuilder, x: string): string {
  return g.op('ReduceMean', [x], { axes: attr.ints([2, 3]), keepdims: attr.int(0) }, 'global_avgpool');
}
