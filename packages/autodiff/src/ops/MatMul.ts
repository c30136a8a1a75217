import { attr, broadcastShapes } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** Y = A·B, numpy-style: broadcast batch axes, 1-D operands promoted and their axis dropped. */
const matmulShape: ShapeRule = (ctx) => {
  const [sa, sb] = [ctx.input(0).shape, ctx.input(1).shape];
  if (sa.length === 0 || sb.length === 0) ctx.fail('MatMul inputs must have rank ≥ 1');
  const a = sa.length === 1 ? [1, sa[0]] : sa;
  const b = sb.length === 1 ? [sb[0], 1] : sb;
  const k = a[a.length - 1];
  if (k !== b[b.length - 2]) ctx.fail(`inner dimensions differ: [${sa.join(', ')}] · [${sb.join(', ')}]`);
  const batch = broadcastShapes(
    a.slice(0, -2),
    b.slice(0, -2),
    `MatMul batch dims of [${sa.join(', ')}] · [${sb.join(', ')}]`,
  );
  const shape = [
    ...batch,
    ...(sa.length === 1 ? [] : [a[a.length - 2]]),
    ...(sb.length === 1 ? [] : [b[b.length - 1]]),
  ];
  return [{ dtype: ctx.input(0).dtype, shape }];
};

/**
 * Y = A·B (numpy matmul: batched, broadcast, 1-D operands promoted)  ⇒  Ā = Ȳ·Bᵀ, B̄ = Aᵀ·Ȳ on the promoted
 * matrices; batch axes an operand was broadcast over are summed by the walker.
 */
export const MatMul = defineOp({
  op: 'MatMul',
  shape: matmulShape,
  vjp: [
    {
      since: 1,
      samples: [
        { label: 'matrix', inputs: [{ float: [3, 4] }, { float: [4, 2] }] },
        { label: 'batched', inputs: [{ float: [2, 3, 4] }, { float: [2, 4, 2] }] },
        { label: 'broadcast batch', inputs: [{ float: [2, 3, 4] }, { float: [4, 2] }] },
        { label: 'broadcast batch rhs', inputs: [{ float: [3, 4] }, { float: [2, 1, 4, 2] }] },
        { label: 'vector lhs', inputs: [{ float: [4] }, { float: [2, 4, 3] }] },
        { label: 'vector rhs', inputs: [{ float: [2, 3, 4] }, { float: [4] }] },
        { label: 'dot', inputs: [{ float: [4] }, { float: [4] }] },
      ],
      vjp: (ctx) => {
        const { e } = ctx;
        const [a, b] = ctx.node.inputs;
        const sa = ctx.type(a).shape;
        const sb = ctx.type(b).shape;
        const a2Shape = sa.length === 1 ? [1, sa[0]] : sa;
        const b2Shape = sb.length === 1 ? [sb[0], 1] : sb;
        const batch = broadcastShapes(a2Shape.slice(0, -2), b2Shape.slice(0, -2));
        const gShape = [...batch, a2Shape[a2Shape.length - 2], b2Shape[b2Shape.length - 1]];
        const g2 = () => e.reshape(ctx.g, gShape);
        if (a2Shape.length === 2 && b2Shape.length === 2) {
          // plain matrices: one Gemm each, with the transposes folded into transA/transB
          const a2 = () => e.reshape(a, a2Shape);
          const b2 = () => e.reshape(b, b2Shape);
          return [
            () => e.op('Gemm', [g2(), b2()], { transB: attr.int(1) }),
            () => e.reshape(e.op('Gemm', [a2(), g2()], { transA: attr.int(1) }), sb),
          ];
        }
        return [
          // Ā = Ȳ·Bᵀ; for a 1-D A the promoted row axis is summed away with the batch axes by the walker
          () => e.op('MatMul', [g2(), e.transposeLast2(e.reshape(b, b2Shape))]),
          () => {
            // B̄ = Aᵀ·Ȳ; for a 1-D B drop the promoted column axis
            const db = e.op('MatMul', [e.transposeLast2(e.reshape(a, a2Shape)), g2()]);
            return sb.length === 1 ? e.reshape(db, [...batch, sb[0]]) : db;
          },
        ];
      },
    },
  ],
});
