import type { FloatDType, Rng } from '@biaslab/core';
import { attr } from '@biaslab/onnx';
import type { GraphBuilder } from '@biaslab/onnx';
import { batchNormNode } from './batch-norm';
import { conv2dNode } from './conv2d';
import type { Conv2dGeometry } from './conv2d';
import { filled, linearUniform } from './linear-init';
import type { ParamSet } from './param-set';

/**
 * PyTorch modules as graph fragments: each declares its parameters under PyTorch's `state_dict` names
 * (`<name>.weight`, `<name>.bias`) with PyTorch's default initialisation, drawing from `rng.fork(name)` (one
 * stream per module), and emits its ops inside the scope `name`.
 */
export interface TorchLayers {
  readonly g: GraphBuilder;
  readonly params: ParamSet;
  readonly rng: Rng;
  readonly dtype: FloatDType;
}

/** nn.Conv2d(C, O, k, stride, padding, bias): W [O, C, k, k], b [O] ~ U(±1/√(C·k²)). */
export function conv2d(
  t: TorchLayers,
  name: string,
  x: string,
  geometry: Conv2dGeometry,
  bias: boolean,
): string {
  const { inChannels: C, outChannels: O, kernel: k } = geometry;
  const rng = t.rng.fork(name);
  const fanIn = C * k * k;
  const w = t.params.add(`${name}.weight`, [O, C, k, k], linearUniform(rng, fanIn, O * fanIn));
  const b = bias ? t.params.add(`${name}.bias`, [O], linearUniform(rng, fanIn, O)) : undefined;
  return t.g.scope(name, () => conv2dNode(t.g, x, w, b, geometry, t.dtype));
}

/** nn.BatchNorm2d(C) in training mode: γ = 1, β = 0 (see `batchNormNode`). */
export function batchNorm2d(t: TorchLayers, name: string, x: string, channels: number): string {
  const gamma = t.params.add(`${name}.weight`, [channels], filled(1, channels));
  const beta = t.params.add(`${name}.bias`, [channels], filled(0, channels));
  return t.g.scope(name, () => batchNormNode(t.g, x, gamma, beta, channels, t.dtype));
}

/** nn.Linear(fanIn, fanOut) on h [..., fanIn]: W [fanOut, fanIn], b [fanOut] ~ U(±1/√fanIn); y = h Wᵀ + b. */
export function linear(
  t: TorchLayers,
  name: string,
  h: string,
  fanIn: number,
  fanOut: number,
  options: { bias?: boolean; rank2?: boolean; output?: string } = {},
): string {
  const rng = t.rng.fork(name);
  const w = t.params.add(`${name}.weight`, [fanOut, fanIn], linearUniform(rng, fanIn, fanOut * fanIn));
  const b =
    options.bias === false
      ? undefined
      : t.params.add(`${name}.bias`, [fanOut], linearUniform(rng, fanIn, fanOut));
  if (options.rank2) {
    // [N, fanIn] rows: one Gemm
    const inputs = b ? [h, w, b] : [h, w];
    return options.output
      ? t.g.op('Gemm', inputs, { transB: attr.int(1) }, options.output)
      : t.g.scope(name, () => t.g.op('Gemm', inputs, { transB: attr.int(1) }, 'linear'));
  }
  return t.g.scope(name, () => {
    // [..., fanIn] · Wᵀ (+ b), batched over the leading axes
    const wt = t.g.op('Transpose', [w], { perm: attr.ints([1, 0]) }, 'weight_t');
    const y = t.g.op('MatMul', [h, wt], {}, 'matmul');
    return b ? t.g.op('Add', [y, b], {}, 'linear') : y;
  });
}

/** nn.LayerNorm(D) over the last axis: γ = 1, β = 0, ε = 1e-5 (the LayerNormalization op, opset 17). */
export function layerNorm(t: TorchLayers, name: string, x: string, dim: number, epsilon: number): string {
  const gamma = t.params.add(`${name}.weight`, [dim], filled(1, dim));
  const beta = t.params.add(`${name}.bias`, [dim], filled(0, dim));
  return t.g.scope(name, () =>
    t.g.op(
      'LayerNormalization',
      [x, gamma, beta],
      { axis: attr.int(-1), epsilon: attr.float(epsilon) },
      'layernorm',
    ),
  );
}
