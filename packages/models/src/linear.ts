import { defineModel, z } from '@biaslab/core';
import type { ModelContext, ModelInstance } from '@biaslab/core';
import { DEFAULT_OPSET, GraphBuilder, attr } from '@biaslab/onnx';
import { checkShapes } from './input-shape';
import { linearUniform } from './linear-init';
import { ParamSet } from './param-set';

/** Options of `model/linear`. */
export const linearOptions = z
  .object({
    bias: z.boolean().default(true).describe('Whether the model has an intercept b'),
    init: z
      .enum(['pytorch', 'zero'])
      .default('pytorch')
      .describe('`pytorch`: W, b ~ U(−1/√D, 1/√D) as nn.Linear; `zero`: W₀ = 0, b₀ = 0'),
  })
  .strict();

/** Options as callers may give them (defaults not yet filled in). */
export type LinearOptions = z.input<typeof linearOptions>;
/** Options with every default filled in. */
export type ResolvedLinearOptions = z.output<typeof linearOptions>;

/**
 * The linear model f(x) = W x + b (x flattened to D features; W [outputSize, D], b [outputSize]), for
 * regression or, with a softmax loss, multinomial logistic regression. Parameters `weight` and `bias` as in
 * PyTorch's nn.Linear. For one output, `predictor(θ)` returns W as a vector β ∈ ℝᴰ (the intercept is not
 * part of β), so ‖β‖ metrics and ‖β − β*‖ apply.
 */
export const linearModel = defineModel<ResolvedLinearOptions>({
  name: 'linear',
  summary: 'Linear model f(x) = Wx + b (regression or softmax classification)',
  description:
    'x [N, ...] is flattened to [N, D]; f(x) = x Wᵀ + b with `weight` [outputSize, D] and `bias` [outputSize] ' +
    '(one Gemm). Init `pytorch`: U(−1/√D, 1/√D) for W and b (nn.Linear default); `zero`: all zeros (GD on MSE ' +
    'from zero converges to the minimum-ℓ2-norm interpolator). With one output the predictor β is W.',
  options: linearOptions,
  create(options: ResolvedLinearOptions, context: ModelContext): ModelInstance {
    const D = checkShapes('linear', context.inputShape, context.outputSize);
    const K = context.outputSize;
    const { dtype } = context;
    const g = new GraphBuilder('linear', DEFAULT_OPSET);
    const x = g.addInput('x', dtype, ['N', ...context.inputShape]);
    const params = new ParamSet(g, dtype);
    const rng = context.rng.fork('linear');
    const draw = (size: number) =>
      options.init === 'zero' ? new Float64Array(size) : linearUniform(rng, D, size);
    const inputs = [params.add('weight', [K, D], draw(K * D))];
    if (options.bias) inputs.push(params.add('bias', [K], draw(K)));
    const flat =
      context.inputShape.length === 1
        ? x
        : g.op('Reshape', [x, g.int64s([-1, D], 'flat_shape')], {}, 'flatten');
    // f(x) = x Wᵀ + b
    const prediction = g.op('Gemm', [flat, ...inputs], { transB: attr.int(1) }, 'prediction');
    g.addOutput(prediction, dtype, ['N', K]);
    const { layout, init } = params.finish();
    const instance: ModelInstance = { graph: g.build(), layout, init };
    if (K !== 1) return instance;
    return {
      ...instance,
      predictor: (theta: Float64Array) => Float64Array.from(layout.view(theta, 'weight')),
    };
  },
});
