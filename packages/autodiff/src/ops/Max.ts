import { DATA_TYPE_CODE, attr } from '@biaslab/onnx';
import { defineOp } from '../op-definition';
import type { LazyGrad, VjpContext } from '../rule';
import { arithmeticShape } from '../shape-families';

/**
 * Gradient of an elementwise, broadcasting, variadic extremum y = max(x₁, …, xₙ) (or min): x̄ₖ = ȳ·[xₖ = y]/m
 * with m = Σⱼ [xⱼ = y]. Ties split the cotangent equally among the inputs that attain y (the mean of the
 * one-sided derivatives, as PyTorch's maximum/minimum do); broadcast inputs are summed by the walker.
 */
export function extremumVjp(ctx: VjpContext): LazyGrad[] {
  const { e, node } = ctx;
  const [y] = node.outputs;
  const dtype = ctx.type(y).dtype;
  if (node.inputs.length === 1) return [() => ctx.g];
  const masks = new Map<number, string>();
  const mask = (k: number) => {
    let m = masks.get(k);
    if (!m) {
      m = e.op('Cast', [e.op('Equal', [node.inputs[k], y])], { to: attr.int(DATA_TYPE_CODE[dtype]) });
      masks.set(k, m);
    }
    return m;
  };
  let share: string | undefined;
  // ȳ/m, built once for all inputs
  const scaled = () =>
    (share ??= e.op('Div', [
      ctx.g,
      node.inputs.map((_, k) => mask(k)).reduce((s, m) => e.op('Add', [s, m])),
    ]));
  return node.inputs.map((_, k) => () => e.op('Mul', [scaled(), mask(k)]));
}

/** Shared samples of Max and Min: equal shapes, broadcasting with rank mismatch, three operands, one operand. */
export const EXTREMUM_SAMPLES = [
  { label: 'same shape', inputs: [{ float: [2, 3] }, { float: [2, 3] }] },
  { label: 'broadcast rank mismatch', inputs: [{ float: [3, 4] }, { float: [4] }] },
  { label: 'three operands with scalar', inputs: [{ float: [2, 1, 3] }, { float: [] }, { float: [4, 1] }] },
  { label: 'single operand', inputs: [{ float: [2, 3] }] },
] as const;

/** y = max(x₁, …, xₙ) elementwise with broadcasting (opset 8 on); ties split the cotangent equally. */
export const Max = defineOp({
  op: 'Max',
  shape: arithmeticShape({ value: Math.max }),
  vjp: [
    {
      since: 8,
      samples: EXTREMUM_SAMPLES,
      vjp: extremumVjp,
    },
  ],
});
