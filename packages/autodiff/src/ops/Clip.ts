import { attr, floatAttr } from '@biaslab/onnx';
import { defineOp } from '../op-definition';
import type { VjpRuleSpec } from '../op-definition';
import type { VjpContext, LazyGrad } from '../rule';
import { sameType } from '../shape-families';

/**
 * y = min(max(x, lo), hi)  ⇒  x̄ = ȳ where lo ≤ x ≤ hi (else 0), lō = ȳ where x < lo, hī = ȳ where x > hi
 * (summed to the bounds' scalar shape by the walker). At x = lo or x = hi the whole cotangent goes to x.
 */
function clipVjp(ctx: VjpContext, lo: string | undefined, hi: string | undefined): (LazyGrad | undefined)[] {
  const { e } = ctx;
  const [x] = ctx.node.inputs;
  const zero = () => e.scalarLike(0, x);
  const below = () => e.op('Less', [x, lo!]);
  const above = () => e.op('Greater', [x, hi!]);
  return [
    () => {
      let g = ctx.g;
      if (hi) g = e.op('Where', [above(), zero(), g]);
      if (lo) g = e.op('Where', [below(), zero(), g]);
      return g;
    },
    lo ? () => e.op('Where', [below(), ctx.g, zero()]) : undefined,
    hi ? () => e.op('Where', [above(), ctx.g, zero()]) : undefined,
  ];
}

/** Clip with `min`/`max` as optional scalar inputs (opset 11 on). */
const ClipV11: VjpRuleSpec = {
  since: 11,
  samples: [
    {
      label: 'both bounds',
      inputs: [{ float: [3, 4] }, { float: [], range: [-0.6, -0.4] }, { float: [], range: [0.4, 0.6] }],
    },
    { label: 'max only', inputs: [{ float: [2, 3] }, null, { float: [], range: [0.2, 0.5] }] },
    { label: 'min only', inputs: [{ float: [2, 3] }, { float: [], range: [-0.5, -0.2] }] },
  ],
  vjp: (ctx) => clipVjp(ctx, ctx.node.inputs[1] || undefined, ctx.node.inputs[2] || undefined),
};

/** Clip before opset 11, with `min`/`max` attributes (defaults ∓ the largest float). */
const ClipV6: VjpRuleSpec = {
  since: 6,
  until: 10,
  samples: [
    {
      label: 'attribute bounds',
      inputs: [{ float: [3, 4] }],
      attributes: { min: attr.float(-0.5), max: attr.float(0.5) },
    },
  ],
  vjp: (ctx) => {
    const { e, node } = ctx;
    const [x] = node.inputs;
    const bound = (name: string) =>
      node.attributes[name] ? e.scalarLike(floatAttr(node.attributes, name, 0), x) : undefined;
    return clipVjp(ctx, bound('min'), bound('max')).slice(0, 1);
  },
};

/** Clip: elementwise min(max(x, lo), hi). */
export const Clip = defineOp({
  op: 'Clip',
  shape: sameType,
  vjp: [ClipV11, ClipV6],
  float64: {
    reason: 'Clip-6 (opsets 6–10, bounds as attributes) has no float64 kernel; from opset 11 it has',
    kernel: (_, opset) => opset >= 11,
  },
});
