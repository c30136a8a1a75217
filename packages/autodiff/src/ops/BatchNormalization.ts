import { BiaslabError } from '@biaslab/core';
import { attr, floatAttr, intAttr } from '@biaslab/onnx';
import type { GraphBuilder, ShapeRule, ValueType } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** Y like X [N, C, …]; every other input one value per channel; running statistics out in training mode only. */
const batchNormShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  if (x.shape.length < 2) ctx.fail(`X must have rank ≥ 2 ([N, C, …]), received [${x.shape.join(', ')}]`);
  const c = x.shape[1];
  for (let i = 1; i <= 4; i++)
    if (ctx.input(i).shape.length !== 1 || ctx.input(i).shape[0] !== c)
      ctx.fail(
        `input ${i} must have shape [${c}] (one value per channel), received [${ctx.input(i).shape.join(', ')}]`,
      );
  const y: ValueType = { dtype: x.dtype, shape: x.shape };
  // running mean and variance are outputs only in training mode (opset 14 on)
  if (ctx.opset < 14 || intAttr(ctx.attributes, 'training_mode', 0) === 0) return [y];
  return [y, { dtype: x.dtype, shape: [c] }, { dtype: x.dtype, shape: [c] }];
};

/**
 * Evaluation-mode batch normalisation, an affine map per channel c (axis 1) with the running statistics as
 * inputs: Y = (X − m)·r·γ + β, r = 1/√(v + ε)  ⇒
 *   X̄ = Ȳ·γ·r,  γ̄ = Σ Ȳ·(X − m)·r,  β̄ = Σ Ȳ,  m̄ = −Σ Ȳ·γ·r,  v̄ = −½ Σ Ȳ·(X − m)·γ·r³
 * (Σ over every axis but the channel axis). Training mode (`training_mode` = 1, opset 14 on) is refused:
 * build the batch-statistics form with `batchNormTraining`, which the other rules differentiate.
 */
export const BatchNormalization = defineOp({
  op: 'BatchNormalization',
  shape: batchNormShape,
  vjp: [
    {
      since: 9,
      samples: [
        {
          label: 'NCHW',
          inputs: [
            { float: [2, 3, 2, 2] },
            { float: [3] },
            { float: [3] },
            { float: [3] },
            { float: [3], range: [0.5, 1.5] },
          ],
        },
        {
          label: 'NC with epsilon',
          inputs: [
            { float: [4, 2] },
            { float: [2] },
            { float: [2] },
            { float: [2] },
            { float: [2], range: [0.1, 1] },
          ],
          attributes: { epsilon: attr.float(0.1) },
        },
      ],
      vjp: (ctx) => {
        const { e, node } = ctx;
        if (ctx.opset >= 14 && intAttr(node.attributes, 'training_mode', 0) === 1) {
          throw new BiaslabError(
            'NO_RULE',
            `\`BatchNormalization\` at node \`${node.name}\` (opset ${ctx.opset}) is in training mode (\`training_mode\` = 1); ` +
              'biaslab differentiates BatchNormalization only in evaluation mode (running statistics as inputs). ' +
              'Export the model in eval mode, or build batch statistics explicitly with `batchNormTraining` from @biaslab/autodiff.',
            { op: 'BatchNormalization', opset: ctx.opset, node: node.name },
          );
        }
        const [x, scale, , mean, variance] = node.inputs;
        const shape = ctx.type(x).shape;
        const eps = floatAttr(node.attributes, 'epsilon', 1e-5);
        const perChannel = shape.map((d, i) => (i === 1 ? d : 1));
        const others = shape.map((_, i) => i).filter((i) => i !== 1);
        const c = (v: number) => e.scalarLike(v, x);
        const mul = (p: string, q: string) => e.op('Mul', [p, q]);
        const channel = (v: string) => e.reshape(v, perChannel);
        const sum = (v: string) => e.reshape(e.reduceSum(v, others, true), [shape[1]]);
        const r = () => channel(e.op('Reciprocal', [e.op('Sqrt', [e.op('Add', [variance, c(eps)])])]));
        const xc = () => e.op('Sub', [x, channel(mean)]);
        const gammaR = () => mul(channel(scale), r());
        return [
          () => mul(ctx.g, gammaR()),
          () => sum(mul(ctx.g, mul(xc(), r()))),
          () => sum(ctx.g),
          () => e.op('Neg', [sum(mul(ctx.g, gammaR()))]),
          () => {
            const rr = r();
            return sum(mul(mul(ctx.g, xc()), mul(mul(channel(scale), mul(rr, mul(rr, rr))), c(-0.5))));
          },
        ];
      },
    },
  ],
});

/** Options of `batchNormTraining`. */
export interface BatchNormTrainingOptions {
  /** Added to the batch variance before the square root (default 1e-5, as ONNX). */
  epsilon?: number;
}

/**
 * Training-mode batch normalisation (Ioffe & Szegedy 2015) written with standard ops so it can be
 * differentiated: over every axis but the channel axis 1 of x [N, C, …], μ = mean(x), σ² = mean((x − μ)²)
 * (biased), Y = (x − μ)/√(σ² + ε)·γ + β, with γ, β of shape [C]. Running statistics are not produced: in a
 * full-batch objective the batch statistics are a deterministic function of θ, and that is what is
 * differentiated. Returns the name of Y.
 */
export function batchNormTraining(
  g: GraphBuilder,
  x: string,
  scale: string,
  bias: string,
  shape: readonly number[],
  dtype: 'float32' | 'float64',
  options: BatchNormTrainingOptions = {},
): string {
  const axes = shape.map((_, i) => i).filter((i) => i !== 1);
  const perChannel = shape.map((d, i) => (i === 1 ? d : 1));
  const keep = { keepdims: attr.int(1) };
  const mean = (v: string) =>
    g.opset >= 18
      ? g.op('ReduceMean', [v, g.int64s(axes)], keep)
      : g.op('ReduceMean', [v], { ...keep, axes: attr.ints(axes) });
  const xc = g.op('Sub', [x, mean(x)]);
  const variance = mean(g.op('Mul', [xc, xc]));
  const std = g.op('Sqrt', [g.op('Add', [variance, g.scalar(options.epsilon ?? 1e-5, dtype)])]);
  const channel = (v: string) => g.op('Reshape', [v, g.int64s(perChannel)]);
  return g.op('Add', [g.op('Mul', [g.op('Div', [xc, std]), channel(scale)]), channel(bias)]);
}
