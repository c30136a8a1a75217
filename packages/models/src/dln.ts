import { BiaslabError, ParamLayout, defineModel, z } from '@biaslab/core';
import type { FloatDType, Graph, ModelContext, ModelInstance } from '@biaslab/core';
import { DEFAULT_OPSET, GraphBuilder } from '@biaslab/onnx';
import { checkShapes } from './input-shape';

/** How the end-to-end predictor β is made from the trained vectors. */
export type DlnParametrization = 'shared' | 'signed' | 'unshared';

/** Options of `model/dln`. */
export const dlnOptions = z
  .object({
    parametrization: z
      .enum(['shared', 'signed', 'unshared'])
      .default('shared')
      .describe(
        'How β is built: `shared` β = w⊙w (w₀ = α·1); `signed` β = u⊙u − v⊙v (u₀ = v₀ = α·1); ' +
          '`unshared` β = u⊙v (u₀ = √2·α·1, v₀ = 0)',
      ),
    alpha: z.number().positive().default(0.1).describe('Initialisation scale α > 0 (see `parametrization`)'),
  })
  .strict();

export type DlnOptions = z.infer<typeof dlnOptions>;

/** One parametrisation: its parameter names, their initial value, β(θ) in JS and β in the graph. */
interface Parametrization {
  readonly params: readonly string[];
  /** Initial value of each parameter (the same for every coordinate). */
  init(alpha: number): readonly number[];
  /** β from views of the parameters, in `params` order. */
  beta(p: readonly Float64Array[]): Float64Array;
  /** β as a graph value from the parameter inputs, in `params` order. */
  betaNode(g: GraphBuilder, p: readonly string[]): string;
}

const PARAMETRIZATIONS: Record<DlnParametrization, Parametrization> = {
  shared: {
    params: ['w'],
    init: (alpha) => [alpha],
    // β = w⊙w
    beta: ([w]) => w.map((wi) => wi * wi),
    betaNode: (g, [w]) => g.op('Mul', [w, w], {}, 'beta'),
  },
  signed: {
    params: ['u', 'v'],
    init: (alpha) => [alpha, alpha],
    // β = u⊙u − v⊙v
    beta: ([u, v]) => u.map((ui, i) => ui * ui - v[i] * v[i]),
    betaNode: (g, [u, v]) =>
      g.op('Sub', [g.op('Mul', [u, u], {}, 'u2'), g.op('Mul', [v, v], {}, 'v2')], {}, 'beta'),
  },
  unshared: {
    params: ['u', 'v'],
    // β₀ = 0 and u² − v² = 2α² (a quantity gradient flow conserves), as in Even et al. 2023.
    init: (alpha) => [Math.SQRT2 * alpha, 0],
    // β = u⊙v
    beta: ([u, v]) => u.map((ui, i) => ui * v[i]),
    betaNode: (g, [u, v]) => g.op('Mul', [u, v], {}, 'beta'),
  },
};

/**
 * The diagonal linear network f(x) = ⟨β, x⟩ with β a coordinate-wise product of trained vectors.
 * Output shape [N, 1]; the graph computes β in-graph, reshapes it to [d, 1] and multiplies x [N, d] by it.
 *
 * References: Woodworth et al. 2020 (kernel and rich regimes; the signed model), Even, Pesme, Gunasekar and
 * Flammarion 2023 (the unshared model u⊙v with u₀ = √2·α, v₀ = 0), Matveev et al. (arXiv 2505.21423; shared weights w⊙w).
 */
export const dlnModel = defineModel<DlnOptions>({
  name: 'dln',
  summary: 'Diagonal linear network f(x) = ⟨β, x⟩ with β = w⊙w, u⊙u − v⊙v or u⊙v',
  description:
    'f(x) = ⟨β, x⟩ for x ∈ ℝᵈ. shared: β = w⊙w, w₀ = α·1. signed: β = u⊙u − v⊙v, u₀ = v₀ = α·1 (Woodworth et al. 2020). ' +
    'unshared: β = u⊙v, u₀ = √2·α·1, v₀ = 0, so β₀ = 0 and the conserved u² − v² equals 2α² (Even et al. 2023). ' +
    'Inputs must be vectors (input shape [d]); the output is [N, 1].',
  options: dlnOptions,
  create(options: DlnOptions, context: ModelContext): ModelInstance {
    checkShapes('dln', context.inputShape, context.outputSize);
    if (context.inputShape.length !== 1) {
      throw new BiaslabError(
        'SHAPE',
        `\`model/dln\` needs vector inputs of shape \`[d]\`, received \`[${context.inputShape.join(', ')}]\`. ` +
          'Use a dataset of vectors (e.g. `dataset/sparse-regression`) or `model/mlp`, which flattens its input.',
        { inputShape: [...context.inputShape] },
      );
    }
    if (context.outputSize !== 1) {
      throw new BiaslabError(
        'SHAPE',
        `\`model/dln\` has one output, but the dataset has \`outputSize\` ${context.outputSize}. ` +
          'Use a scalar regression dataset or `model/mlp`.',
        { outputSize: context.outputSize },
      );
    }
    const d = context.inputShape[0];
    const p = PARAMETRIZATIONS[options.parametrization];
    const layout = new ParamLayout(p.params.map((name) => ({ name, shape: [d] })));
    const values = p.init(options.alpha);
    const init = layout.pack(
      Object.fromEntries(p.params.map((name, i) => [name, new Float64Array(d).fill(values[i])])),
    );
    return {
      graph: dlnGraph(p, d, context.dtype),
      layout,
      init,
      predictor(theta: Float64Array): Float64Array {
        return p.beta(p.params.map((name) => layout.view(theta, name)));
      },
    };
  },
});

function dlnGraph(p: Parametrization, d: number, dtype: FloatDType): Graph {
  const g = new GraphBuilder('dln', DEFAULT_OPSET);
  const x = g.addInput('x', dtype, ['N', d]);
  const params = p.params.map((name) => g.addInput(name, dtype, [d]));
  const beta = p.betaNode(g, params);
  const column = g.op('Reshape', [beta, g.int64s([d, 1], 'beta_shape')], {}, 'beta_column');
  // f(x) = x β, one row per sample
  const prediction = g.op('MatMul', [x, column], {}, 'prediction');
  g.addOutput(prediction, dtype, ['N', 1]);
  return g.build();
}
