import { BiaslabError, defineModel, z } from '@biaslab/core';
import type { ModelContext, ModelInstance } from '@biaslab/core';
import { DEFAULT_OPSET, GraphBuilder } from '@biaslab/onnx';
import { activationNode, activationOption } from './activation';
import { convOutputSize } from './conv2d';
import { imageShape } from './image-shape';
import { ParamSet } from './param-set';
import { globalAvgPoolNode } from './pool2d';
import { batchNorm2d, conv2d, linear } from './torch-layers';
import type { TorchLayers } from './torch-layers';

/** Options of `model/resnet`. */
export const resnetOptions = z
  .object({
    blocks: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('Basic blocks per stage n (depth 2 + 2·stages·n; 3 stages, n = 3 is ResNet-20)'),
    width: z
      .number()
      .int()
      .positive()
      .default(16)
      .describe('Channels of the stem and the first stage; stage s has width·2^(s−1)'),
    stages: z
      .number()
      .int()
      .min(1)
      .max(4)
      .default(3)
      .describe('Number of stages; every stage after the first halves H and W'),
    batchNorm: z
      .boolean()
      .default(true)
      .describe('BatchNorm2d (batch statistics) after every conv; without it the convs have biases'),
    activation: activationOption('relu'),
  })
  .strict();

/** Options as callers may give them (defaults not yet filled in). */
export type ResnetOptions = z.input<typeof resnetOptions>;
/** Options with every default filled in. */
export type ResolvedResnetOptions = z.output<typeof resnetOptions>;

interface Feature {
  readonly value: string;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

/**
 * A CIFAR-style ResNet (He et al. 2016, §4.2): stem conv 3×3 → [BN] → act, then `stages` stages of `blocks` basic
 * blocks (conv 3×3 → [BN] → act → conv 3×3 → [BN], plus the shortcut, then act); the first block of every
 * stage after the first has stride 2 and doubles the channels, and its shortcut is a 1×1 conv with stride 2
 * (+ BN) — identity shortcuts everywhere else. Global average pooling and a linear head. Names as torchvision:
 * `conv1`, `bn1`, `layer{s}.{b}.conv1`, `.bn1`, `.conv2`, `.bn2`, `.downsample.0` (1×1 conv), `.downsample.1` (BN), `fc`.
 */
export const resnetModel = defineModel<ResolvedResnetOptions>({
  name: 'resnet',
  summary:
    'Small CIFAR-style ResNet (basic blocks, identity and 1×1-projection shortcuts), with or without BatchNorm',
  description:
    'He et al. 2016 CIFAR ResNet: stem conv3×3(width) → [BN] → act; stages s = 1…S of `blocks` basic blocks with ' +
    'width·2^(s−1) channels, stride 2 at the first block of stages s > 1; block: act(F(x) + shortcut(x)), ' +
    'F = conv3×3 → [BN] → act → conv3×3 → [BN]; shortcut identity, or 1×1 conv stride 2 (+ BN) when the shape ' +
    'changes. Global average pool, then `fc`. PyTorch default init (conv/linear U(±1/√fan_in), BN γ = 1, β = 0); ' +
    'BatchNorm uses batch statistics; without BatchNorm every conv has a bias.',
  options: resnetOptions,
  create(options: ResolvedResnetOptions, context: ModelContext): ModelInstance {
    const [C, H, W] = imageShape('resnet', context.inputShape, context.outputSize);
    if (H < 2 ** (options.stages - 1) || W < 2 ** (options.stages - 1)) {
      throw new BiaslabError(
        'SHAPE',
        `\`model/resnet\` with ${options.stages} stages halves the image ${options.stages - 1} times; ` +
          `\`[${context.inputShape.join(', ')}]\` inputs are too small. Use fewer \`stages\`.`,
        { stages: options.stages, inputShape: [...context.inputShape] },
      );
    }
    const { dtype } = context;
    const g = new GraphBuilder('resnet', DEFAULT_OPSET);
    const x = g.addInput('x', dtype, ['N', ...context.inputShape]);
    const t: TorchLayers = { g, params: new ParamSet(g, dtype), rng: context.rng, dtype };
    const bn = options.batchNorm;
    const act = (v: string, scope: string) =>
      g.scope(scope, () => activationNode(g, options.activation, v, dtype));
    const convBn = (
      prefix: string,
      convName: string,
      bnName: string,
      f: Feature,
      out: number,
      kernel: number,
      stride: number,
    ): Feature => {
      const geometry = {
        inChannels: f.channels,
        outChannels: out,
        height: f.height,
        width: f.width,
        kernel,
        stride,
        padding: kernel === 3 ? 1 : 0,
      };
      let v = conv2d(t, `${prefix}${convName}`, f.value, geometry, !bn);
      if (bn) v = batchNorm2d(t, `${prefix}${bnName}`, v, out);
      const [height, width] = convOutputSize(geometry);
      return { value: v, channels: out, height, width };
    };
    const image =
      context.inputShape.length === 2
        ? g.op('Reshape', [x, g.int64s([-1, 1, H, W], 'image_shape')], {}, 'image')
        : x;
    let f = convBn(
      '',
      'conv1',
      'bn1',
      { value: image, channels: C, height: H, width: W },
      options.width,
      3,
      1,
    );
    f = { ...f, value: act(f.value, 'act1') };
    for (let s = 1; s <= options.stages; s++) {
      const planes = options.width * 2 ** (s - 1);
      for (let b = 0; b < options.blocks; b++) {
        const prefix = `layer${s}.${b}.`;
        const stride = s > 1 && b === 0 ? 2 : 1;
        const a = convBn(prefix, 'conv1', 'bn1', f, planes, 3, stride);
        const r = convBn(
          prefix,
          'conv2',
          'bn2',
          { ...a, value: act(a.value, `${prefix}act1`) },
          planes,
          3,
          1,
        );
        const shortcut =
          stride !== 1 || f.channels !== planes
            ? convBn(prefix, 'downsample.0', 'downsample.1', f, planes, 1, stride).value
            : f.value;
        // block output: act(F(x) + shortcut(x))
        const sum = g.op('Add', [r.value, shortcut], {}, `${prefix}residual`);
        f = { ...r, value: act(sum, `${prefix}act2`) };
      }
    }
    const pooled = globalAvgPoolNode(g, f.value);
    const prediction = linear(t, 'fc', pooled, f.channels, context.outputSize, {
      rank2: true,
      output: 'prediction',
    });
    g.addOutput(prediction, dtype, ['N', context.outputSize]);
    const { layout, init } = t.params.finish();
    return { graph: g.build(), layout, init };
  },
});
