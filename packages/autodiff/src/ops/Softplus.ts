import type { GraphNode } from '@biaslab/core';
import type { Emitter } from '../emitter';
import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/**
 * Softplus as m + log(e^(−m) + e^(x−m)) with m = Relu(x): both exponentials are ≤ 1 (no overflow), and the
 * derivatives are exact for any m, so the kink of Relu at 0 leaves no trace (f′ = σ(x), f″ = σ′(x)).
 */
function lowerSoftplus(e: Emitter, node: GraphNode): string {
  const [x] = node.inputs;
  const m = e.op('Relu', [x]);
  const s = e.op('Add', [e.op('Exp', [e.op('Neg', [m])]), e.op('Exp', [e.op('Sub', [x, m])])]);
  return e.op('Add', [m, e.op('Log', [s])]);
}

/** y = ln(1 + eˣ)  ⇒  x̄ = ȳ·σ(x). */
export const Softplus = defineOp({
  op: 'Softplus',
  shape: sameType,
  vjp: [
    {
      since: 1,
      samples: [{ label: 'matrix', inputs: [{ float: [3, 4], range: [0, 3], signed: true }] }],
      vjp: (ctx) => [() => ctx.e.op('Mul', [ctx.g, ctx.e.op('Sigmoid', [ctx.node.inputs[0]])])],
    },
  ],
  float64: {
    reason: 'float64 only at opset 18; elsewhere write Log(1 + Exp(x)) or run in float32',
    kernel: (_, opset) => opset === 18,
    lowering: { emit: lowerSoftplus },
  },
});
