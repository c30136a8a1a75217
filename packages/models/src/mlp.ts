import { defineModel, z } from '@biaslab/core';
import type { FloatDType, ModelContext, ModelInstance } from '@biaslab/core';
import { DEFAULT_OPSET, GraphBuilder, attr } from '@biaslab/onnx';
import { activationNode, activationOption } from './activation';
import { checkShapes } from './input-shape';
import { filled, gaussian, linearUniform } from './linear-init';
import { ParamSet } from './param-set';

/** Options of `model/mlp`. */
export const mlpOptions = z
  .object({
    widths: z
      .array(z.number().int().positive())
      .default([200, 200])
      .describe('Widths of the hidden layers, input side first (`[]` gives a linear model)'),
    activation: activationOption('tanh'),
    bias: z.boolean().default(true).describe('Whether every layer has a bias vector'),
    parametrization: z
      .enum(['standard', 'ntk', 'mup'])
      .default('standard')
      .describe(
        '`standard`: PyTorch default init, no multipliers; `ntk`: W, b ~ N(0, 1), z = Wh/√fan_in + 0.1·b ' +
          '(Jacot et al. 2018); `mup`: μP for SGD (Yang & Hu 2021; table in the README)',
      ),
  })
  .strict();

/** Options as callers may give them (defaults not yet filled in). */
export type MlpOptions = z.input<typeof mlpOptions>;
/** Options with every default filled in. */
export type ResolvedMlpOptions = z.output<typeof mlpOptions>;
export type MlpParametrization = ResolvedMlpOptions['parametrization'];

/** Jacot et al. 2018's bias multiplier β in z = Wh/√n + β·b (their experiments use β = 0.1). */
export const NTK_BIAS_MULTIPLIER = 0.1;

/** One fully connected layer: z = h W_effᵀ + b_eff with W of shape [fanOut, fanIn], as PyTorch's nn.Linear. */
interface LinearLayer {
  readonly name: string;
  readonly fanIn: number;
  readonly fanOut: number;
  readonly role: 'input' | 'hidden' | 'output' | 'only';
}

/** The layers of an MLP: `fc1`, …, `fcK` for the hidden widths, then `out`. */
function layersOf(inputSize: number, widths: readonly number[], outputSize: number): LinearLayer[] {
  const sizes = [inputSize, ...widths, outputSize];
  const last = widths.length;
  return sizes.slice(1).map((fanOut, i) => ({
    name: i === last ? 'out' : `fc${i + 1}`,
    fanIn: sizes[i],
    fanOut,
    role: last === 0 ? 'only' : i === 0 ? 'input' : i === last ? 'output' : 'hidden',
  }));
}

/** How one layer's parameters are drawn and multiplied: W_eff = weightMul·W, b_eff = biasMul·b. */
export interface LayerScaling {
  /** Standard deviation of W's N(0, σ²) entries, or `uniform` for PyTorch's U(−1/√fan_in, 1/√fan_in). */
  readonly weight: number | 'uniform';
  readonly bias: number | 'uniform';
  readonly weightMul: number;
  readonly biasMul: number;
}

/**
 * The per-layer table of each parametrisation (n_in = fan_in, n_out = fan_out of the layer):
 *
 * | layer  | standard              | ntk                          | mup (SGD)                                   |
 * | input  | U(±1/√n_in), ×1, ×1   | N(0,1), W×1/√n_in, b×0.1     | W ~ N(0, 1/(n_out·n_in)), W×√n_out; b = 0, b×√n_out |
 * | hidden | U(±1/√n_in), ×1, ×1   | N(0,1), W×1/√n_in, b×0.1     | W ~ N(0, 1/n_in), ×1; b = 0, b×√n_out       |
 * | output | U(±1/√n_in), ×1, ×1   | N(0,1), W×1/√n_in, b×0.1     | W ~ N(0, 1/n_in), W×1/√n_in; b = 0, ×1      |
 *
 * μP is the abc-parametrisation of Yang & Hu 2021 with a = (−½, 0, ½), b = ½ and c = 0 (input, hidden,
 * output), fan-in constants kept so pre-activations are O(1) in the input dimension too.
 */
export function layerScaling(p: MlpParametrization, layer: LinearLayer): LayerScaling {
  const { fanIn, fanOut, role } = layer;
  switch (p) {
    case 'standard':
      return { weight: 'uniform', bias: 'uniform', weightMul: 1, biasMul: 1 };
    case 'ntk':
      return { weight: 1, bias: 1, weightMul: 1 / Math.sqrt(fanIn), biasMul: NTK_BIAS_MULTIPLIER };
    case 'mup':
      switch (role) {
        case 'only':
          return { weight: 1 / Math.sqrt(fanIn), bias: 0, weightMul: 1, biasMul: 1 };
        case 'input':
          return {
            weight: 1 / Math.sqrt(fanOut * fanIn),
            bias: 0,
            weightMul: Math.sqrt(fanOut),
            biasMul: Math.sqrt(fanOut),
          };
        case 'hidden':
          return { weight: 1 / Math.sqrt(fanIn), bias: 0, weightMul: 1, biasMul: Math.sqrt(fanOut) };
        case 'output':
          return { weight: 1 / Math.sqrt(fanIn), bias: 0, weightMul: 1 / Math.sqrt(fanIn), biasMul: 1 };
      }
  }
}

/**
 * A fully connected network: x is flattened to D features, then every hidden layer computes
 * h ← act(h W_effᵀ + b_eff) and the output layer h W_effᵀ + b_eff (no activation), where W_eff and b_eff are
 * the trained W and b times the parametrisation's multipliers (`layerScaling`). Parameters are named as
 * PyTorch's nn.Linear names them (`fc1.weight` [out, in], `fc1.bias` [out], …, `out.weight`, `out.bias`).
 */
export const mlpModel = defineModel<ResolvedMlpOptions>({
  name: 'mlp',
  summary: 'Fully connected network (relu, tanh, gelu, elu, softplus, identity); standard, NTK or μP',
  description:
    'x [N, ...] is flattened to [N, D]; hidden layers h ← act(h W_effᵀ + b_eff) with widths `widths`; output ' +
    'h W_effᵀ + b_eff. Parameters `fc1.weight` [out, in], `fc1.bias` [out], …, `out.weight`, `out.bias`. ' +
    'standard: U(−1/√fan_in, 1/√fan_in) as PyTorch nn.Linear, W_eff = W. ntk (Jacot et al. 2018): W, b ~ N(0, 1), ' +
    'W_eff = W/√fan_in, b_eff = 0.1·b. mup (Yang & Hu 2021, SGD): input W ~ N(0, 1/(n·D)), W_eff = √n·W; hidden ' +
    'W ~ N(0, 1/n); output W ~ N(0, 1/n), W_eff = W/√n; biases 0, hidden b_eff = √n·b. One random stream per layer.',
  options: mlpOptions,
  create(options: ResolvedMlpOptions, context: ModelContext): ModelInstance {
    const { dtype, inputShape } = context;
    const inputSize = checkShapes('mlp', inputShape, context.outputSize);
    const layers = layersOf(inputSize, options.widths, context.outputSize);
    const g = new GraphBuilder('mlp', DEFAULT_OPSET);
    const x = g.addInput('x', dtype, ['N', ...inputShape]);
    const params = new ParamSet(g, dtype);
    let h =
      inputShape.length === 1
        ? x
        : g.op('Reshape', [x, g.int64s([-1, inputSize], 'flat_shape')], {}, 'flatten');
    for (const layer of layers) {
      // A stream per layer: adding or resizing one layer leaves the others' draws unchanged.
      const rng = context.rng.fork(layer.name);
      const s = layerScaling(options.parametrization, layer);
      const draw = (law: number | 'uniform', size: number) =>
        law === 'uniform'
          ? linearUniform(rng, layer.fanIn, size)
          : law === 0
            ? filled(0, size)
            : gaussian(rng, law, size);
      const w = params.add(
        `${layer.name}.weight`,
        [layer.fanOut, layer.fanIn],
        draw(s.weight, layer.fanOut * layer.fanIn),
      );
      const b = options.bias
        ? params.add(`${layer.name}.bias`, [layer.fanOut], draw(s.bias, layer.fanOut))
        : undefined;
      const inputs = g.scope(layer.name, () => {
        const scaledInputs = [h, scaled(g, w, s.weightMul, dtype, 'weight_eff')];
        if (b) scaledInputs.push(scaled(g, b, s.biasMul, dtype, 'bias_eff'));
        return scaledInputs;
      });
      if (layer.name === 'out') {
        // f(x) = h W_effᵀ + b_eff, named `prediction` as in every biaslab model
        h = g.op('Gemm', inputs, { transB: attr.int(1) }, 'prediction');
      } else {
        // z = h W_effᵀ + b_eff; h ← act(z)
        h = g.scope(layer.name, () =>
          activationNode(
            g,
            options.activation,
            g.op('Gemm', inputs, { transB: attr.int(1) }, 'preactivation'),
            dtype,
          ),
        );
      }
    }
    g.addOutput(h, dtype, ['N', context.outputSize]);
    const { layout, init } = params.finish();
    return { graph: g.build(), layout, init };
  },
});

/** value·multiplier as a graph value (no node when the multiplier is 1). */
function scaled(g: GraphBuilder, value: string, multiplier: number, dtype: FloatDType, base: string): string {
  return multiplier === 1
    ? value
    : g.op('Mul', [value, g.scalar(multiplier, dtype, `${base}_mul`)], {}, base);
}
