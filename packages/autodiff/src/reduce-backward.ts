import { BiaslabError } from '@biaslab/core';
import { intAttr, intsAttr, normAxis } from '@biaslab/onnx';
import type { LazyGrad, VjpContext } from './rule';

/**
 * Backward of a sum-like reduction: the cotangent (reshaped to the kept-dims shape) broadcast back over the
 * reduced axes, scaled by 1/count for a mean. `axesInputSince` is the opset from which the op reads `axes`
 * from its second input rather than an attribute; `noop_with_empty_axes` makes an empty axes list the identity.
 */
export function reduceBackward(ctx: VjpContext, axesInputSince: number, mean: boolean): LazyGrad {
  const { node, e } = ctx;
  const xShape = ctx.type(node.inputs[0]).shape;
  const rank = xShape.length;
  let given: readonly number[] | undefined;
  if (ctx.opset >= axesInputSince) {
    const axesInput = node.inputs[1];
    if (axesInput) {
      given = ctx.type(axesInput).value;
      if (!given) {
        throw new BiaslabError(
          'SHAPE',
          `\`${node.op}\` at node \`${node.name}\` takes axes from \`${axesInput}\`, which is not a constant; differentiation needs constant axes.`,
        );
      }
    }
  } else {
    given = intsAttr(node.attributes, 'axes');
  }
  const empty = !given || given.length === 0;
  if (empty && intAttr(node.attributes, 'noop_with_empty_axes', 0) === 1) return () => ctx.g;
  const axes = new Set(empty ? [...Array(rank).keys()] : given!.map((ax) => normAxis(ax, rank)));
  const kept = xShape.map((d, i) => (axes.has(i) ? 1 : d));
  const count = [...axes].reduce((n, ax) => n * xShape[ax], 1);
  const keepdims = intAttr(node.attributes, 'keepdims', 1) === 1;
  return () => {
    let gk = keepdims ? ctx.g : e.reshape(ctx.g, kept);
    // mean: ∂/∂x_i (1/n)Σx = 1/n
    if (mean) gk = e.op('Mul', [gk, e.scalarLike(1 / count, ctx.g)]);
    return e.expand(gk, xShape);
  };
}
