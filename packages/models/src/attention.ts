import { attr } from '@biaslab/onnx';
import { linear } from './torch-layers';
import type { TorchLayers } from './torch-layers';

/**
 * Multi-head self-attention as timm's `Attention` (Vaswani et al. 2017) on h [N, T, D] with H heads of
 * d = D/H: [q; k; v] = h W_qkvᵀ + b_qkv (`<name>.qkv`, [3D, D]), split as [N, T, 3, H, d];
 * A = softmax(q kᵀ/√d) over keys; out = concat_heads(A v) W_projᵀ + b_proj (`<name>.proj`). Returns [N, T, D].
 */
export function attentionNode(
  t: TorchLayers,
  name: string,
  h: string,
  shape: { tokens: number; dim: number; heads: number },
): string {
  const { g, dtype } = t;
  const { tokens: T, dim: D, heads: H } = shape;
  const d = D / H;
  const qkv = linear(t, `${name}.qkv`, h, D, 3 * D);
  const out = g.scope(name, () => {
    const split = g.op('Reshape', [qkv, g.int64s([0, T, 3, H, d], 'qkv_shape')], {}, 'qkv_heads');
    // [3, N, H, T, d]
    const perm = g.op('Transpose', [split], { perm: attr.ints([2, 0, 3, 1, 4]) }, 'qkv_first');
    const pick = (i: number, base: string) =>
      g.op(
        'Gather',
        [perm, g.constant({ dtype: 'int64', shape: [], data: BigInt64Array.of(BigInt(i)) }, `${base}_index`)],
        { axis: attr.int(0) },
        base,
      );
    const q = pick(0, 'q');
    const k = pick(1, 'k');
    const v = pick(2, 'v');
    // scores = (q/√d) kᵀ  [N, H, T, T]. The 1/√d is a length-d vector, not a scalar: onnxruntime's
    // MatMulScaleFusion folds a scalar Mul next to a MatMul into a float32 attribute, which would round
    // 1/√d to float32 in float64 runs.
    const invSqrtD = g.constant(
      {
        dtype,
        shape: [d],
        data: (dtype === 'float64' ? new Float64Array(d) : new Float32Array(d)).fill(1 / Math.sqrt(d)),
      },
      'inv_sqrt_d',
    );
    const kt = g.op('Transpose', [k], { perm: attr.ints([0, 1, 3, 2]) }, 'k_t');
    const scores = g.op('MatMul', [g.op('Mul', [q, invSqrtD], {}, 'q_scaled'), kt], {}, 'scores');
    const weights = g.op('Softmax', [scores], { axis: attr.int(-1) }, 'attention');
    // concat over heads: [N, H, T, d] → [N, T, H, d] → [N, T, D]
    const mixed = g.op(
      'Transpose',
      [g.op('MatMul', [weights, v], {}, 'av')],
      { perm: attr.ints([0, 2, 1, 3]) },
      'heads_last',
    );
    return g.op('Reshape', [mixed, g.int64s([0, T, D], 'merged_shape')], {}, 'merged');
  });
  return linear(t, `${name}.proj`, out, D, D);
}
