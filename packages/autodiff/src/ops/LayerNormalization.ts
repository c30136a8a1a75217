import { DATA_TYPE_CODE, attr, floatAttr, intAttr, normAxis } from '@biaslab/onnx';
import type { ShapeRule, ValueType } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

const DTYPE_OF_CODE = new Map(Object.entries(DATA_TYPE_CODE).map(([k, v]) => [v, k as ValueType['dtype']]));

/** (Y, Mean, InvStdDev): Y like X; the statistics keep the leading axes (1 from `axis` on). */
const layerNormShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const axis = normAxis(intAttr(ctx.attributes, 'axis', -1), x.shape.length);
  const stats = x.shape.map((d, i) => (i < axis ? d : 1));
  // Mean and InvStdDev have the `stash_type` precision (default float32), not X's
  const stash = DTYPE_OF_CODE.get(intAttr(ctx.attributes, 'stash_type', DATA_TYPE_CODE.float32)) ?? 'float32';
  return [
    { dtype: x.dtype, shape: x.shape },
    { dtype: stash, shape: stats },
    { dtype: stash, shape: stats },
  ];
};

/**
 * Y = x̂·γ + β with x̂ = (x − μ)·r, μ = mean(x), r = 1/√(var(x) + ε) over the axes axis…rank−1 (n elements);
 * outputs Mean = μ and InvStdDev = r (keepdims). With ĝ = Ȳ·γ (Ba, Kiros & Hinton 2016):
 *   x̄ = r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) + μ̄/n − r̄·r²·x̂/n,   γ̄ = Σ Ȳ·x̂,   β̄ = Σ Ȳ
 * (the sums over leading axes are done by the walker). Emits only Reduce/elementwise ops.
 */
export const LayerNormalization = defineOp({
  op: 'LayerNormalization',
  shape: layerNormShape,
  vjp: [
    {
      since: 17,
      samples: [
        { label: 'last axis', inputs: [{ float: [3, 4] }, { float: [4] }, { float: [4] }] },
        {
          label: 'axis 1 of rank 3, no bias',
          inputs: [{ float: [2, 3, 2] }, { float: [3, 2] }],
          attributes: { axis: attr.int(1), epsilon: attr.float(0.01) },
        },
        {
          label: 'scale broadcast over rank 3',
          inputs: [{ float: [2, 2, 5] }, { float: [5] }, { float: [1] }],
          attributes: { axis: attr.int(-1) },
        },
      ],
      vjp: (ctx) => {
        const { e, node } = ctx;
        const [x, scale, bias] = node.inputs;
        const shape = ctx.type(x).shape;
        const axis = normAxis(intAttr(node.attributes, 'axis', -1), shape.length);
        const eps = floatAttr(node.attributes, 'epsilon', 1e-5);
        const axes = shape.map((_, i) => i).filter((i) => i >= axis);
        const n = axes.reduce((p, i) => p * shape[i], 1);
        const c = (v: number) => e.scalarLike(v, x);
        const mul = (p: string, q: string) => e.op('Mul', [p, q]);
        const mean = (v: string) => mul(e.reduceSum(v, axes, true), c(1 / n));
        let stats: { xhat: string; r: string } | undefined;
        const normalised = () => {
          if (!stats) {
            const xc = e.op('Sub', [x, mean(x)]);
            const r = e.op('Reciprocal', [e.op('Sqrt', [e.op('Add', [mean(mul(xc, xc)), c(eps)])])]);
            stats = { xhat: mul(xc, r), r };
          }
          return stats;
        };
        // Mean/InvStdDev are stored in `stash_type` (float32 by default): bring their cotangents to X's dtype
        const dtype = ctx.type(x).dtype;
        const toX = (g: string | undefined) =>
          g && ctx.type(g).dtype !== dtype ? e.op('Cast', [g], { to: attr.int(DATA_TYPE_CODE[dtype]) }) : g;
        const [gy, gMean, gInv] = [ctx.cotangents[0], toX(ctx.cotangents[1]), toX(ctx.cotangents[2])];
        return [
          () => {
            const { xhat, r } = normalised();
            let gx: string | undefined;
            if (gy) {
              const gh = mul(gy, scale);
              const centred = e.op('Sub', [e.op('Sub', [gh, mean(gh)]), mul(xhat, mean(mul(gh, xhat)))]);
              gx = mul(r, centred);
            }
            const add = (term: string) => (gx = gx ? e.op('Add', [gx, term]) : term);
            // ∂μ/∂x = 1/n
            if (gMean) add(e.expand(mul(gMean, c(1 / n)), shape));
            // ∂r/∂x = −r³(x − μ)/n = −r²·x̂/n
            if (gInv) add(mul(mul(gInv, mul(r, r)), mul(xhat, c(-1 / n))));
            return gx ?? e.expand(c(0), shape);
          },
          () => (gy ? mul(gy, normalised().xhat) : e.expand(c(0), ctx.type(scale).shape)),
          bias ? () => (gy ? gy : e.expand(c(0), ctx.type(bias).shape)) : undefined,
        ];
      },
    },
  ],
});
