import type { GraphNode } from '@biaslab/core';
import { attr } from '@biaslab/onnx';
import type { Emitter } from '../emitter';
import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** GELU's tanh approximation constant (Hendrycks & Gimpel 2016). */
const C3 = 0.044715;

/** True for `approximate="tanh"`, the form with float64 kernels (exact Gelu runs through Erf). */
function isTanh(node: GraphNode): boolean {
  const a = node.attributes.approximate;
  return a?.type === 'string' && a.value === 'tanh';
}

/** Gelu with approximate="tanh" as ½x(1 + tanh(√(2/π)(x + 0.044715x³))); exact Gelu needs Erf and is kept. */
function lowerGeluTanh(e: Emitter, node: GraphNode): string {
  const [x] = node.inputs;
  const c = (v: number) => e.scalarLike(v, x);
  const x3 = e.op('Mul', [e.op('Mul', [x, x]), x]);
  const u = e.op('Mul', [e.op('Add', [x, e.op('Mul', [x3, c(C3)])]), c(Math.sqrt(2 / Math.PI))]);
  return e.op('Mul', [e.op('Mul', [x, c(0.5)]), e.op('Add', [c(1), e.op('Tanh', [u])])]);
}

/**
 * Exact: y = x·Φ(x) = ½x(1 + erf(x/√2))  ⇒  x̄ = ȳ·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π).
 * `approximate = "tanh"`: y = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³)  ⇒
 * x̄ = ȳ·(½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²)). Opset 20 added the op; exported
 * subgraphs of earlier opsets (Erf/Tanh/Mul) are differentiated through those ops' rules.
 */
export const Gelu = defineOp({
  op: 'Gelu',
  shape: sameType,
  vjp: [
    {
      since: 20,
      samples: [
        { label: 'exact', inputs: [{ float: [3, 4], range: [0, 2.5], signed: true }] },
        {
          label: 'tanh approximation',
          inputs: [{ float: [2, 3], range: [0, 2.5], signed: true }],
          attributes: { approximate: attr.string('tanh') },
        },
      ],
      vjp: (ctx) => {
        const { e } = ctx;
        const [x] = ctx.node.inputs;
        const tanh = isTanh(ctx.node);
        const c = (v: number) => e.scalarLike(v, x);
        const mul = (p: string, q: string) => e.op('Mul', [p, q]);
        const add = (p: string, q: string) => e.op('Add', [p, q]);
        return [
          () => {
            const x2 = mul(x, x);
            let slope: string;
            if (tanh) {
              const k = Math.sqrt(2 / Math.PI);
              const t = e.op('Tanh', [mul(mul(x, add(c(1), mul(x2, c(C3)))), c(k))]);
              const half = mul(add(c(1), t), c(0.5));
              const sech2 = e.op('Sub', [c(1), mul(t, t)]);
              const du = mul(add(c(1), mul(x2, c(3 * C3))), c(0.5 * k));
              slope = add(half, mul(mul(x, sech2), du));
            } else {
              const cdf = mul(add(c(1), e.op('Erf', [mul(x, c(Math.SQRT1_2))])), c(0.5));
              const pdf = mul(e.op('Exp', [mul(x2, c(-0.5))]), c(1 / Math.sqrt(2 * Math.PI)));
              slope = add(cdf, mul(x, pdf));
            }
            return mul(ctx.g, slope);
          },
        ];
      },
    },
  ],
  float64: {
    reason:
      'exact Gelu (approximate="none") runs through Erf, which has no float64 kernel; use approximate="tanh" or run in float32',
    kernel: isTanh,
    lowering: { applies: isTanh, emit: lowerGeluTanh },
  },
});
