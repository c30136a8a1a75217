import type { AttributeValue } from '@biaslab/core';
import { attr, broadcastShapes, floatAttr, intAttr } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** Y = op(A)·op(B) + C: [M, N] from the (possibly transposed) matrices; C must broadcast to it. */
const gemmShape: ShapeRule = (ctx) => {
  const [ta, tb] = [intAttr(ctx.attributes, 'transA', 0), intAttr(ctx.attributes, 'transB', 0)];
  const [sa, sb] = [ctx.input(0).shape, ctx.input(1).shape];
  if (sa.length !== 2 || sb.length !== 2)
    ctx.fail(`A and B must be matrices, received [${sa.join(', ')}] and [${sb.join(', ')}]`);
  const [m, k] = ta ? [sa[1], sa[0]] : [sa[0], sa[1]];
  const [k2, n] = tb ? [sb[1], sb[0]] : [sb[0], sb[1]];
  if (k !== k2) ctx.fail(`inner dimensions differ: A gives ${k}, B gives ${k2}`);
  if (ctx.has(2)) broadcastShapes(ctx.input(2).shape, [m, n], ctx.where);
  return [{ dtype: ctx.input(0).dtype, shape: [m, n] }];
};

/**
 * Y = α·op(A)·op(B) + β·C with op = transpose when transA/transB  ⇒
 * Ā = α·Ȳ·op(B)ᵀ (transposed back when transA), B̄ = α·op(A)ᵀ·Ȳ (transposed back when transB), C̄ = β·Ȳ
 * (summed over broadcast axes by the walker). Each is again one Gemm.
 */
export const Gemm = defineOp({
  op: 'Gemm',
  shape: gemmShape,
  vjp: [
    {
      since: 7,
      samples: [
        { label: 'plain with bias row', inputs: [{ float: [3, 4] }, { float: [4, 2] }, { float: [2] }] },
        {
          label: 'transA alpha beta',
          inputs: [{ float: [4, 3] }, { float: [4, 2] }, { float: [3, 1] }],
          attributes: { transA: attr.int(1), alpha: attr.float(0.5), beta: attr.float(2) },
        },
        {
          label: 'transB no C',
          inputs: [{ float: [3, 4] }, { float: [2, 4] }],
          attributes: { transB: attr.int(1) },
        },
        {
          label: 'both transposed',
          inputs: [{ float: [4, 3] }, { float: [2, 4] }, { float: [3, 2] }],
          attributes: { transA: attr.int(1), transB: attr.int(1), alpha: attr.float(-1.5) },
        },
      ],
      vjp: (ctx) => {
        const { e, node } = ctx;
        const [a, b, c] = node.inputs;
        const alpha = floatAttr(node.attributes, 'alpha', 1);
        const beta = floatAttr(node.attributes, 'beta', 1);
        const ta = intAttr(node.attributes, 'transA', 0) === 1;
        const tb = intAttr(node.attributes, 'transB', 0) === 1;
        const gemm = (p: string, q: string, tp: boolean, tq: boolean): string => {
          const attributes: Record<string, AttributeValue> = {};
          if (alpha !== 1) attributes.alpha = attr.float(alpha);
          if (tp) attributes.transA = attr.int(1);
          if (tq) attributes.transB = attr.int(1);
          return e.op('Gemm', [p, q], attributes);
        };
        return [
          // A = [m,k] (or [k,m] when transA): Ā = αȲBᵀ or α B Ȳᵀ, with B as stored
          () => (ta ? gemm(b, ctx.g, tb, true) : gemm(ctx.g, b, false, !tb)),
          // B = [k,n] (or [n,k] when transB): B̄ = αAᵀȲ or α Ȳᵀ A, with A as stored
          () => (tb ? gemm(ctx.g, a, true, ta) : gemm(a, ctx.g, !ta, false)),
          c ? () => (beta === 1 ? ctx.g : e.op('Mul', [ctx.g, e.scalarLike(beta, ctx.g)])) : undefined,
        ];
      },
    },
  ],
});
