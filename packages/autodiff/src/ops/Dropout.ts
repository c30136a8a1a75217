import { BiaslabError } from '@biaslab/core';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** (y, mask) = dropout(x): y like x, and the optional bool mask of x's shape. */
const dropoutShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  return [
    { dtype: x.dtype, shape: x.shape },
    { dtype: 'bool', shape: x.shape },
  ];
};

/**
 * Dropout at inference is the identity: x̄ = ȳ. From opset 12 a `training_mode` input can switch it on; a
 * training-mode Dropout (true or not known before running) is refused with `NO_RULE`, since random masks would
 * make the loss, gradient and Hessian of full-batch GD ill-defined.
 */
export const Dropout = defineOp({
  op: 'Dropout',
  shape: dropoutShape,
  vjp: [
    {
      since: 7,
      samples: [
        { label: 'default (inference)', inputs: [{ float: [3, 4] }] },
        { label: 'rank 3', inputs: [{ float: [2, 1, 3] }] },
      ],
      vjp: (ctx) => {
        const { node } = ctx;
        const mode = ctx.opset >= 12 ? node.inputs[2] : undefined;
        if (mode) {
          const v = ctx.type(mode).value;
          if (!v || v.some((b) => b !== 0)) {
            throw new BiaslabError(
              'NO_RULE',
              `\`Dropout\` at node \`${node.name}\` (opset ${ctx.opset}) runs in training mode (\`training_mode\` = \`${mode}\` is ${v ? 'true' : 'not a constant'}); ` +
                'biaslab differentiates Dropout only as identity (evaluation mode). Export the model in eval mode (`model.eval()`), set `training_mode` to false, or remove the Dropout.',
              { op: 'Dropout', opset: ctx.opset, node: node.name },
            );
          }
        }
        return [() => ctx.g];
      },
    },
  ],
});
