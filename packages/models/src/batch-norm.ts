import { attr } from '@biaslab/onnx';
import type { FloatDType } from '@biaslab/core';
import type { GraphBuilder } from '@biaslab/onnx';

/** PyTorch's default ε of BatchNorm2d and LayerNorm. */
export const NORM_EPSILON = 1e-5;

/**
 * Batch normalisation with batch statistics (Ioffe & Szegedy 2015; PyTorch's BatchNorm2d in training mode) of
 * x [N, C, H, W] with weight γ [C] and bias β [C]:
 *   μ_c = mean over (n, h, w) of x,  σ²_c = mean of (x − μ)² (biased),  y = (x − μ)/√(σ² + ε)·γ + β.
 * Written with ReduceMean/Sub/Mul/Sqrt/Div so it is differentiated (twice) by the elementwise rules: the
 * statistics are functions of θ, as they are in a full-batch objective. No running averages are kept, so a
 * graph run on other data (the test split) is normalised by that data's own statistics.
 */
export function batchNormNode(
  g: GraphBuilder,
  x: string,
  gamma: string,
  beta: string,
  channels: number,
  dtype: FloatDType,
): string {
  const stats = { axes: attr.ints([0, 2, 3]), keepdims: attr.int(1) };
  const mu = g.op('ReduceMean', [x], stats, 'bn_mean');
  const centred = g.op('Sub', [x, mu], {}, 'bn_centred');
  const variance = g.op('ReduceMean', [g.op('Mul', [centred, centred], {}, 'bn_sq')], stats, 'bn_var');
  const std = g.op(
    'Sqrt',
    [g.op('Add', [variance, g.scalar(NORM_EPSILON, dtype, 'bn_eps')], {}, 'bn_var_eps')],
    {},
    'bn_std',
  );
  const normalised = g.op('Div', [centred, std], {}, 'bn_normalised');
  const perChannel = g.int64s([1, channels, 1, 1], 'bn_param_shape');
  const scaled = g.op(
    'Mul',
    [normalised, g.op('Reshape', [gamma, perChannel], {}, 'bn_gamma')],
    {},
    'bn_scaled',
  );
  return g.op('Add', [scaled, g.op('Reshape', [beta, perChannel], {}, 'bn_beta')], {}, 'bn');
}
