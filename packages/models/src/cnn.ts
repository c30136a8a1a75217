import { BiaslabError, defineModel, z } from '@biaslab/core';
import type { ModelContext, ModelInstance } from '@biaslab/core';
import { DEFAULT_OPSET, GraphBuilder } from '@biaslab/onnx';
import { activationNode, activationOption } from './activation';
import { imageShape } from './image-shape';
import { ParamSet } from './param-set';
import { pool2dNode } from './pool2d';
import { batchNorm2d, conv2d, linear } from './torch-layers';
import type { TorchLayers } from './torch-layers';

/** Options of `model/cnn`. */
export const cnnOptions = z
  .object({
    channels: z
      .array(z.number().int().positive())
      .min(1)
      .default([32, 32])
      .describe('Output channels of the 3×3 conv layers (padding 1), input side first'),
    pooling: z.enum(['max', 'avg']).default('max').describe('2×2 pooling (stride 2) after every conv layer'),
    batchNorm: z
      .boolean()
      .default(false)
      .describe('BatchNorm2d (batch statistics) after every conv layer; the convs then have no bias'),
    activation: activationOption('relu'),
  })
  .strict();

/** Options as callers may give them (defaults not yet filled in). */
export type CnnOptions = z.input<typeof cnnOptions>;
/** Options with every default filled in. */
export type ResolvedCnnOptions = z.output<typeof cnnOptions>;

/**
 * The small CNN of Edge-of-Stability experiments (Cohen et al. 2021): per entry of `channels`,
 * conv 3×3 (stride 1, padding 1) → [BatchNorm] → act → 2×2 pool; then flatten (c, h, w) and a linear head.
 * PyTorch names (`conv1.weight` [32, C, 3, 3], `conv1.bias`, `bn1.weight`, `bn1.bias`, …, `fc.weight`,
 * `fc.bias`) and PyTorch's default initialisation.
 */
export const cnnModel = defineModel<ResolvedCnnOptions>({
  name: 'cnn',
  summary: 'Small CNN: [conv3×3 → (BatchNorm) → act → 2×2 pool] × k, then linear (Cohen et al. 2021)',
  description:
    'x [N, C, H, W] (or [N, H, W], one channel). For each width c_l in `channels`: conv 3×3, stride 1, padding 1 ' +
    '(`conv{l}`), optional BatchNorm2d with batch statistics (`bn{l}`; the conv then has no bias), the activation, ' +
    '2×2 max or average pooling. Flatten in (c, h, w) order, then `fc` to the outputs. PyTorch default init: ' +
    'conv and linear U(±1/√fan_in), BatchNorm γ = 1, β = 0. Convolution is im2col + MatMul and pooling is ' +
    'Reshape + ReduceMax/ReduceMean, so float64 runs work.',
  options: cnnOptions,
  create(options: ResolvedCnnOptions, context: ModelContext): ModelInstance {
    let [C, H, W] = imageShape('cnn', context.inputShape, context.outputSize);
    const { dtype } = context;
    const g = new GraphBuilder('cnn', DEFAULT_OPSET);
    const x = g.addInput('x', dtype, ['N', ...context.inputShape]);
    const t: TorchLayers = { g, params: new ParamSet(g, dtype), rng: context.rng, dtype };
    let h =
      context.inputShape.length === 2
        ? g.op('Reshape', [x, g.int64s([-1, 1, H, W], 'image_shape')], {}, 'image')
        : x;
    options.channels.forEach((O, l) => {
      if (H < 2 || W < 2) {
        throw new BiaslabError(
          'SHAPE',
          `\`model/cnn\` pools 2×2 after every conv layer, but after ${l} layers the image is ${H}×${W}: ` +
            `\`channels\` has ${options.channels.length} layers for \`[${context.inputShape.join(', ')}]\` inputs. Use fewer layers.`,
          { channels: options.channels, inputShape: [...context.inputShape] },
        );
      }
      const name = `${l + 1}`;
      h = conv2d(
        t,
        `conv${name}`,
        h,
        { inChannels: C, outChannels: O, height: H, width: W, kernel: 3, stride: 1, padding: 1 },
        !options.batchNorm,
      );
      if (options.batchNorm) h = batchNorm2d(t, `bn${name}`, h, O);
      h = g.scope(`act${name}`, () => activationNode(g, options.activation, h, dtype));
      h = g.scope(`pool${name}`, () => pool2dNode(g, h, options.pooling, [O, H, W]));
      [C, H, W] = [O, Math.floor(H / 2), Math.floor(W / 2)];
    });
    const features = C * H * W;
    const flat = g.op('Reshape', [h, g.int64s([-1, features], 'flat_shape')], {}, 'flatten');
    const prediction = linear(t, 'fc', flat, features, context.outputSize, {
      rank2: true,
      output: 'prediction',
    });
    g.addOutput(prediction, dtype, ['N', context.outputSize]);
    const { layout, init } = t.params.finish();
    return { graph: g.build(), layout, init };
  },
});
