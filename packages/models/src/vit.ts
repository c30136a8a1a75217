import { BiaslabError, defineModel, z } from '@biaslab/core';
import type { ModelContext, ModelInstance } from '@biaslab/core';
import { DEFAULT_OPSET, GraphBuilder, attr } from '@biaslab/onnx';
import { activationNode, activationOption } from './activation';
import { attentionNode } from './attention';
import { imageShape } from './image-shape';
import { gaussian, linearUniform } from './linear-init';
import { ParamSet } from './param-set';
import { layerNorm, linear } from './torch-layers';
import type { TorchLayers } from './torch-layers';

/** Options of `model/vit`. */
export const vitOptions = z
  .object({
    patchSize: z
      .number()
      .int()
      .positive()
      .default(4)
      .describe('Side p of the square patches (the patch-embedding stride)'),
    dim: z.number().int().positive().default(64).describe('Embedding dimension D'),
    depth: z.number().int().min(1).default(2).describe('Number of transformer blocks'),
    heads: z.number().int().positive().default(4).describe('Attention heads (must divide `dim`)'),
    mlpRatio: z
      .number()
      .positive()
      .default(2)
      .describe('Hidden width of each block MLP as a multiple of `dim`'),
    pool: z
      .enum(['cls', 'mean'])
      .default('cls')
      .describe('`cls`: a learned class token; `mean`: the mean over patch tokens'),
    activation: activationOption('gelu'),
  })
  .strict();

/** Options as callers may give them (defaults not yet filled in). */
export type VitOptions = z.input<typeof vitOptions>;
/** Options with every default filled in. */
export type ResolvedVitOptions = z.output<typeof vitOptions>;

/** Standard deviation of the class token and position embedding at init (timm's trunc_normal_(std=0.02)). */
export const VIT_EMBED_STD = 0.02;
/** ε of every LayerNorm (PyTorch's default). */
export const VIT_LN_EPSILON = 1e-5;

/**
 * A tiny vision transformer (Dosovitskiy et al. 2021) with pre-LN blocks. Patches p×p are embedded by a linear
 * map (`patch_embed.proj`, a Conv2d(C, D, p, stride p) weight [D, C, p, p], applied as Reshape/Transpose + MatMul);
 * then [class token], + position embedding; `depth` blocks h ← h + Attn(LN₁ h), h ← h + MLP(LN₂ h) with
 * multi-head softmax attention and MLP fc1 → act → fc2; a final LayerNorm; the class token or the token mean;
 * a linear head. Parameter names as timm's VisionTransformer.
 */
export const vitModel = defineModel<ResolvedVitOptions>({
  name: 'vit',
  summary:
    'Tiny vision transformer: patch embedding, pre-LN attention blocks, GELU MLPs, class token or mean pool',
  description:
    'x [N, C, H, W] cut into T = ⌊H/p⌋·⌊W/p⌋ patches, embedded by `patch_embed.proj` (Conv2d(C, D, p, stride p) as ' +
    'Reshape/Transpose + MatMul); `cls_token` prepended (pool = cls); + `pos_embed`; blocks i: h += ' +
    'attn.proj(MHSA(norm1(h))), h += mlp.fc2(act(mlp.fc1(norm2(h)))), attention softmax(QKᵀ/√d_head)V with ' +
    'q, k, v from one `attn.qkv` Linear(D, 3D); final `norm`; class token or mean over tokens; `head`. Init: Linear ' +
    'and patch projection PyTorch default U(±1/√fan_in), LayerNorm γ = 1, β = 0, cls_token and pos_embed N(0, 0.02²).',
  options: vitOptions,
  create(options: ResolvedVitOptions, context: ModelContext): ModelInstance {
    const [C, H, W] = imageShape('vit', context.inputShape, context.outputSize);
    const { patchSize: p, dim: D, heads } = options;
    const gh = Math.floor(H / p);
    const gw = Math.floor(W / p);
    if (gh < 1 || gw < 1 || D % heads !== 0) {
      throw new BiaslabError(
        'SHAPE',
        gh < 1 || gw < 1
          ? `\`model/vit\` \`patchSize\` ${p} is larger than the \`[${context.inputShape.join(', ')}]\` images. Use a smaller \`patchSize\`.`
          : `\`model/vit\` needs \`heads\` to divide \`dim\`; received \`dim\` ${D}, \`heads\` ${heads}.`,
        { patchSize: p, dim: D, heads, inputShape: [...context.inputShape] },
      );
    }
    const T = gh * gw;
    const tokens = options.pool === 'cls' ? T + 1 : T;
    const hidden = Math.max(1, Math.round(options.mlpRatio * D));
    const { dtype } = context;
    const g = new GraphBuilder('vit', DEFAULT_OPSET);
    const x = g.addInput('x', dtype, ['N', ...context.inputShape]);
    const params = new ParamSet(g, dtype);
    const t: TorchLayers = { g, params, rng: context.rng, dtype };
    const cls =
      options.pool === 'cls'
        ? params.add('cls_token', [1, 1, D], gaussian(context.rng.fork('cls_token'), VIT_EMBED_STD, D))
        : undefined;
    const pos = params.add(
      'pos_embed',
      [1, tokens, D],
      gaussian(context.rng.fork('pos_embed'), VIT_EMBED_STD, tokens * D),
    );

    // patches: [N, C, H, W] → [N, C, gh, p, gw, p] → [N, gh, gw, C, p, p] → [N, T, C·p·p]
    let h = g.scope('patch_embed', () => {
      const image4 =
        context.inputShape.length === 3
          ? x
          : g.op('Reshape', [x, g.int64s([-1, C, H, W], 'image_shape')], {}, 'image');
      // like Conv2d with stride p, trailing rows and columns that do not fill a patch are dropped
      const image =
        H === gh * p && W === gw * p
          ? image4
          : g.op(
              'Slice',
              [
                image4,
                g.int64s([0, 0], 'starts'),
                g.int64s([gh * p, gw * p], 'ends'),
                g.int64s([2, 3], 'axes'),
              ],
              {},
              'crop',
            );
      const blocks = g.op('Reshape', [image, g.int64s([0, C, gh, p, gw, p], 'patch_grid')], {}, 'patch_grid');
      const moved = g.op('Transpose', [blocks], { perm: attr.ints([0, 2, 4, 1, 3, 5]) }, 'patches_last');
      const flat = g.op('Reshape', [moved, g.int64s([0, T, C * p * p], 'patch_rows')], {}, 'patches');
      const rng = context.rng.fork('patch_embed.proj');
      const fanIn = C * p * p;
      const w = params.add('patch_embed.proj.weight', [D, C, p, p], linearUniform(rng, fanIn, D * fanIn));
      const b = params.add('patch_embed.proj.bias', [D], linearUniform(rng, fanIn, D));
      const wt = g.op(
        'Transpose',
        [g.op('Reshape', [w, g.int64s([D, fanIn], 'w_rows')], {}, 'w_matrix')],
        { perm: attr.ints([1, 0]) },
        'w_t',
      );
      // e = patches · Wᵀ + b  [N, T, D]
      return g.op('Add', [g.op('MatMul', [flat, wt], {}, 'proj'), b], {}, 'embedded');
    });
    if (cls) {
      // [cls; e]: the class token broadcast to [N, 1, D]
      const batch = g.op(
        'Slice',
        [g.op('Shape', [x], {}, 'x_shape'), g.int64s([0], 's0'), g.int64s([1], 's1')],
        {},
        'batch',
      );
      const shape = g.op('Concat', [batch, g.int64s([1, D], 'one_d')], { axis: attr.int(0) }, 'cls_shape');
      h = g.op(
        'Concat',
        [g.op('Expand', [cls, shape], {}, 'cls_tokens'), h],
        { axis: attr.int(1) },
        'with_cls',
      );
    }
    h = g.op('Add', [h, pos], {}, 'pos_added');
    for (let i = 0; i < options.depth; i++) {
      const prefix = `blocks.${i}`;
      // h ← h + proj(MHSA(LN₁ h))
      const a = attentionNode(t, `${prefix}.attn`, layerNorm(t, `${prefix}.norm1`, h, D, VIT_LN_EPSILON), {
        tokens,
        dim: D,
        heads,
      });
      h = g.op('Add', [h, a], {}, `${prefix}.residual1`);
      // h ← h + fc2(act(fc1(LN₂ h)))
      const m1 = linear(
        t,
        `${prefix}.mlp.fc1`,
        layerNorm(t, `${prefix}.norm2`, h, D, VIT_LN_EPSILON),
        D,
        hidden,
      );
      const m2 = linear(
        t,
        `${prefix}.mlp.fc2`,
        g.scope(`${prefix}.mlp`, () => activationNode(g, options.activation, m1, dtype)),
        hidden,
        D,
      );
      h = g.op('Add', [h, m2], {}, `${prefix}.residual2`);
    }
    h = layerNorm(t, 'norm', h, D, VIT_LN_EPSILON);
    const pooled =
      options.pool === 'cls'
        ? g.op(
            'Gather',
            [h, g.constant({ dtype: 'int64', shape: [], data: BigInt64Array.of(0n) }, 'cls_index')],
            { axis: attr.int(1) },
            'cls_out',
          )
        : g.op('ReduceMean', [h], { axes: attr.ints([1]), keepdims: attr.int(0) }, 'token_mean');
    const prediction = linear(t, 'head', pooled, D, context.outputSize, {
      rank2: true,
      output: 'prediction',
    });
    g.addOutput(prediction, dtype, ['N', context.outputSize]);
    const { layout, init } = params.finish();
    return { graph: g.build(), layout, init };
  },
});
