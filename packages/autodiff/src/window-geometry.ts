import type { AttributeValue } from '@biaslab/core';
import { intAttr, intsAttr } from '@biaslab/onnx';
import type { ShapeContext, ValueType } from '@biaslab/onnx';

/** Resolved geometry of a convolution or pooling window over the spatial axes. */
export interface ConvGeometry {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  /** Padding before each spatial axis. */
  readonly padBegin: readonly number[];
  /** Padding after each spatial axis. */
  readonly padEnd: readonly number[];
  /** Output size of each spatial axis. */
  readonly out: readonly number[];
}

/**
 * Window geometry for Conv/MaxPool/AveragePool: out = ⌊(in + pb + pe − ((k−1)·dil + 1)) / stride⌋ + 1 (⌈·⌉ with
 * `ceil_mode`); `auto_pad` SAME_UPPER/SAME_LOWER pads to out = ⌈in/stride⌉ with the odd element after/before,
 * VALID pads nothing, NOTSET uses `pads` ([b₁…bₖ, e₁…eₖ]).
 */
export function convGeometry(
  spatial: readonly number[],
  kernel: readonly number[],
  a: Readonly<Record<string, AttributeValue>>,
): ConvGeometry {
  const k = spatial.length;
  const strides = intsAttr(a, 'strides') ?? new Array<number>(k).fill(1);
  const dilations = intsAttr(a, 'dilations') ?? new Array<number>(k).fill(1);
  const autoPad = a.auto_pad?.type === 'string' ? a.auto_pad.value : 'NOTSET';
  const ceil = intAttr(a, 'ceil_mode', 0) === 1;
  const pads = intsAttr(a, 'pads') ?? new Array<number>(2 * k).fill(0);
  const padBegin: number[] = [];
  const padEnd: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const extent = (kernel[i] - 1) * dilations[i] + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const o = Math.ceil(spatial[i] / strides[i]);
      const total = Math.max(0, (o - 1) * strides[i] + extent - spatial[i]);
      const small = Math.floor(total / 2);
      padBegin.push(autoPad === 'SAME_UPPER' ? small : total - small);
      padEnd.push(autoPad === 'SAME_UPPER' ? total - small : small);
      out.push(o);
      continue;
    }
    const [pb, pe] = autoPad === 'VALID' ? [0, 0] : [pads[i], pads[i + k]];
    padBegin.push(pb);
    padEnd.push(pe);
    const span = (spatial[i] + pb + pe - extent) / strides[i];
    out.push((ceil ? Math.ceil(span) : Math.floor(span)) + 1);
  }
  return { kernel, strides, dilations, padBegin, padEnd, out };
}

/** Output type of MaxPool/AveragePool: [N, C, out…] for `kernel_shape`. */
export function poolType(ctx: ShapeContext): ValueType {
  const x = ctx.input(0);
  const fail = ctx.fail;
  const kernel = intsAttr(ctx.attributes, 'kernel_shape') ?? fail('attribute `kernel_shape` is required');
  if (x.shape.length !== kernel.length + 2)
    fail(`X must be [N, C, spatial…] with ${kernel.length} spatial axes, received [${x.shape.join(', ')}]`);
  const geo = convGeometry(x.shape.slice(2), kernel, ctx.attributes);
  if (geo.out.some((o) => o < 1))
    fail(`the window does not fit: output spatial size [${geo.out.join(', ')}]`);
  return { dtype: x.dtype, shape: [x.shape[0], x.shape[1], ...geo.out] };
}
