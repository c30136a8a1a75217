import { ParamLayout, defineModel, z } from '@biaslab/core';
import type { FloatDType, Graph, ModelContext, ModelInstance, ParamSpec } from '@biaslab/core';
import { DEFAULT_OPSET, GraphBuilder, attr } from '@biaslab/onnx';
import { checkShapes } from './input-shape';
import { linearUniform } from './linear-init';

/** Options of `model/mlp`. */
export const mlpOptions = z
  .object({
    widths: z
      .array(z.number().int().positive())
      .default([200, 200])
      .describe('Widths of the hidden layers, input side first (`[]` gives a linear model)'),
    activation: z.enum(['relu', 'tanh']).default('tanh').describe('Activation after every hidden layer'),
    bias: z.boolean().default(true).describe('Whether every layer has a bias vector'),
  })
  .strict();

export type MlpOptions = z.infer<typeof mlpOptions>;

/** One fully connected layer: y = h Wᵀ + b with W of shape [fanOut, fanIn], as PyTorch's nn.Linear. */
interface LinearLayer {
  readonly name: string;
  readonly fanIn: number;
  readonly fanOut: number;
}

/** The layers of an MLP: `fc1`, …, `fcK` for the hidden widths, then `out`. */
function layersOf(inputSize: number, widths: readonly number[], outputSize: number): LinearLayer[] {
  const sizes = [inputSize, ...widths, outputSize];
  return sizes.slice(1).map((fanOut, i) => ({
    name: i === widths.length ? 'out' : `fc${i + 1}`,
    fanIn: sizes[i],
    fanOut,
  }));
}

/**
 * A fully connected network: x is flattened to D features, then every hidden layer computes
 * h ← act(h Wᵀ + b) and the output layer h Wᵀ + b (no activation). Parameters are named as PyTorch's
 * nn.Linear names them (`fc1.weight` [out, in], `fc1.bias` [out], …, `out.weight`, `out.bias`) and are
 * initialised as PyTorch does by default: U(−1/√fan_in, 1/√fan_in) for weights and biases.
 */
export const mlpModel = defineModel<MlpOptions>({
  name: 'mlp',
  summary: 'Fully connected network (relu or tanh) with PyTorch-default initialisation',
  description:
    'x [N, ...] is flattened to [N, D]; hidden layers h ← act(h Wᵀ + b) with widths `widths`; output h Wᵀ + b. ' +
    'Parameters `fc1.weight` [out, in], `fc1.bias` [out], …, `out.weight`, `out.bias`, each drawn from ' +
    'U(−1/√fan_in, 1/√fan_in) as PyTorch nn.Linear does, one independent random stream per layer.',
  options: mlpOptions,
  create(options: MlpOptions, context: ModelContext): ModelInstance {
    const inputSize = checkShapes('mlp', context.inputShape, context.outputSize);
    const layers = layersOf(inputSize, options.widths, context.outputSize);
    const specs: ParamSpec[] = [];
    const values: Record<string, Float64Array> = {};
    for (const layer of layers) {
      // A stream per layer: adding or resizing one layer leaves the others' draws unchanged.
      const rng = context.rng.fork(layer.name);
      specs.push({ name: `${layer.name}.weight`, shape: [layer.fanOut, layer.fanIn] });
      values[`${layer.name}.weight`] = linearUniform(rng, layer.fanIn, layer.fanOut * layer.fanIn);
      if (options.bias) {
        specs.push({ name: `${layer.name}.bias`, shape: [layer.fanOut] });
        values[`${layer.name}.bias`] = linearUniform(rng, layer.fanIn, layer.fanOut);
      }
    }
    const layout = new ParamLayout(specs);
    return {
      graph: mlpGraph(layers, options, context.inputShape, inputSize, context.dtype, layout),
      layout,
      init: layout.pack(values),
    };
  },
});

const ACTIVATION_OP: Record<MlpOptions['activation'], string> = { relu: 'Relu', tanh: 'Tanh' };

function mlpGraph(
  layers: readonly LinearLayer[],
  options: MlpOptions,
  inputShape: readonly number[],
  inputSize: number,
  dtype: FloatDType,
  layout: ParamLayout,
): Graph {
  const g = new GraphBuilder('mlp', DEFAULT_OPSET);
  const x = g.addInput('x', dtype, ['N', ...inputShape]);
  for (const slot of layout.slots) g.addInput(slot.name, dtype, slot.shape);
  let h =
    inputShape.length === 1
      ? x
      : g.op('Reshape', [x, g.int64s([-1, inputSize], 'flat_shape')], {}, 'flatten');
  for (const layer of layers) {
    const inputs = options.bias
      ? [h, `${layer.name}.weight`, `${layer.name}.bias`]
      : [h, `${layer.name}.weight`];
    if (layer.name === 'out') {
      // f(x) = h Wᵀ + b, named `prediction` as in every biaslab model
      h = g.op('Gemm', inputs, { transB: attr.int(1) }, 'prediction');
    } else {
      // h ← act(h Wᵀ + b)
      h = g.scope(layer.name, () =>
        g.op(
          ACTIVATION_OP[options.activation],
          [g.op('Gemm', inputs, { transB: attr.int(1) }, 'linear')],
          {},
          options.activation,
        ),
      );
    }
  }
  g.addOutput(h, dtype, ['N', layers[layers.length - 1].fanOut]);
  return g.build();
}
