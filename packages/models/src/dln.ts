import { BiaslabError, ParamLayout, defineModel, z } from '@biaslab/core';
import type { FloatDType, Graph, ModelContext, ModelInstance } from '@biaslab/core';
import { DEFAULT_OPSET, GraphBuilder, attr } from '@biaslab/onnx';
import { checkShapes } from './input-shape';

/** How the end-to-end predictor β is made from the trained vectors. */
export type DlnParametrization = 'shared' | 'signed' | 'unshared';

/** How the initial factors are shaped (see `dlnOptions`). */
export type DlnInitShape = 'balanced' | 'unbalanced' | 'zero-beta';

/** Options of `model/dln`. */
export const dlnOptions = z
  .object({
    parametrization: z
      .enum(['shared', 'signed', 'unshared'])
      .default('shared')
      .describe(
        'How β is built at depth L: `shared` β = w^L; `signed` β = u^L − v^L; `unshared` β = u₁⊙…⊙u_L ' +
          '(at L = 2: w⊙w, u⊙u − v⊙v, u⊙v)',
      ),
    alpha: z.number().positive().default(0.1).describe('Initialisation scale α > 0 (see `initShape`)'),
    depth: z
      .number()
      .int()
      .min(2)
      .max(16)
      .default(2)
      .describe('Depth L ≥ 2: the number of factors in each product (powers for shared and signed)'),
    initShape: z
      .enum(['balanced', 'unbalanced', 'zero-beta'])
      .optional()
      .describe(
        '`balanced`: every factor α·1; `unbalanced` (unshared only): u₁ = α·s, u_L = α/s, the others α·1 ' +
          '(β₀ = α^L for every s); `zero-beta` (unshared, L = 2 only): u₀ = √2·α·1, v₀ = 0. ' +
          'Default: `zero-beta` for unshared at L = 2, `balanced` otherwise',
      ),
    ratio: z
      .number()
      .positive()
      .default(2)
      .describe('Shape ratio s > 0 of the `unbalanced` init (s = 1 is balanced)'),
  })
  .strict();

/** Options as callers may give them (defaults not yet filled in). */
export type DlnOptions = z.input<typeof dlnOptions>;
/** Options with every default filled in. */
export type ResolvedDlnOptions = z.output<typeof dlnOptions>;

/** One parametrisation at a depth: parameter names, initial values, β(θ) in JS and β in the graph. */
interface Parametrization {
  readonly params: readonly string[];
  /** Initial value of each parameter (the same for every coordinate), in `params` order. */
  readonly init: readonly number[];
  /** β from views of the parameters, in `params` order. */
  beta(p: readonly Float64Array[]): Float64Array;
  /** β as a graph value from the parameter inputs, in `params` order. */
  betaNode(g: GraphBuilder, p: readonly string[]): string;
}

/** w^L as a chain of L − 1 Muls (exact, and every factor keeps a plain Mul rule). */
function powerNode(g: GraphBuilder, w: string, depth: number, base: string): string {
  let out = w;
  for (let l = 1; l < depth; l++)
    out = g.op('Mul', [out, w], {}, l === depth - 1 ? base : `${base}_pow${l + 1}`);
  return out;
}

function productNode(g: GraphBuilder, factors: readonly string[]): string {
  let out = factors[0];
  for (let l = 1; l < factors.length; l++)
    out = g.op('Mul', [out, factors[l]], {}, l === factors.length - 1 ? 'beta' : `prod${l + 1}`);
  return out;
}

function resolveInitShape(options: ResolvedDlnOptions): DlnInitShape {
  const shape =
    options.initShape ??
    (options.parametrization === 'unshared' && options.depth === 2 ? 'zero-beta' : 'balanced');
  const refuse = (why: string): never => {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `Invalid options for \`model/dln\`: \`initShape\` \`${shape}\` ${why}. ` +
        'Use `initShape: balanced`, or `parametrization: unshared` for unbalanced shapes.',
      { initShape: shape, parametrization: options.parametrization, depth: options.depth },
    );
  };
  if (shape !== 'balanced' && options.parametrization !== 'unshared') {
    refuse(
      `needs \`parametrization: unshared\` (received \`${options.parametrization}\`, whose factors are one shared vector each)`,
    );
  }
  if (shape === 'zero-beta' && options.depth !== 2) {
    refuse(`is defined for depth 2 only (received \`depth\` ${options.depth})`);
  }
  return shape;
}

function parametrization(options: ResolvedDlnOptions): Parametrization {
  const { alpha, depth: L, ratio: s } = options;
  const shape = resolveInitShape(options);
  switch (options.parametrization) {
    case 'shared':
      return {
        params: ['w'],
        init: [alpha],
        // β = w^L
        beta: ([w]) => w.map((wi) => wi ** L),
        betaNode: (g, [w]) => powerNode(g, w, L, 'beta'),
      };
    case 'signed':
      return {
        params: ['u', 'v'],
        init: [alpha, alpha],
        // β = u^L − v^L
        beta: ([u, v]) => u.map((ui, i) => ui ** L - v[i] ** L),
        betaNode: (g, [u, v]) =>
          g.op('Sub', [powerNode(g, u, L, 'u_pow'), powerNode(g, v, L, 'v_pow')], {}, 'beta'),
      };
    case 'unshared': {
      const params = L === 2 ? ['u', 'v'] : Array.from({ length: L }, (_, l) => `u${l + 1}`);
      const init =
        shape === 'zero-beta'
          ? // β₀ = 0 and u² − v² = 2α² (conserved by gradient flow), as in Even et al. 2023.
            [Math.SQRT2 * alpha, 0]
          : shape === 'unbalanced'
            ? params.map((_, l) => (l === 0 ? alpha * s : l === L - 1 ? alpha / s : alpha))
            : params.map(() => alpha);
      return {
        params,
        init,
        // β = u₁⊙…⊙u_L
        beta: (p) => p[0].map((_, i) => p.reduce((acc, u) => acc * u[i], 1)),
        betaNode: (g, p) => productNode(g, p),
      };
    }
  }
}

/**
 * The diagonal linear network f(x) = ⟨β, x⟩ with β a coordinate-wise product of trained vectors, at depth L:
 * shared β = w^L, signed β = u^L − v^L (the depth-D model of Woodworth et al. 2020), unshared β = u₁⊙…⊙u_L.
 * Output shape [N, 1]; the graph computes β in-graph, reshapes it to [d, 1] and multiplies x [N, d] by it.
 *
 * References: Woodworth et al. 2020 (kernel and rich regimes; the signed model and its depth-D form), Even,
 * Pesme, Gunasekar and Flammarion 2023 (the unshared model u⊙v with u₀ = √2·α, v₀ = 0), Azulay et al. 2021
 * (the init shape u₀ = α·s, v₀ = α/s), Matveev et al. (arXiv 2505.21423; shared weights w⊙w).
 */
export const dlnModel = defineModel<ResolvedDlnOptions>({
  name: 'dln',
  summary: 'Diagonal linear network f(x) = ⟨β, x⟩ with β = w^L, u^L − v^L or u₁⊙…⊙u_L',
  description:
    'f(x) = ⟨β, x⟩ for x ∈ ℝᵈ, depth L (default 2). shared: β = w^L, w₀ = α·1. signed: β = u^L − v^L, ' +
    'u₀ = v₀ = α·1 (Woodworth et al. 2020). unshared: β = u₁⊙…⊙u_L; at L = 2 the default init is u₀ = √2·α·1, ' +
    'v₀ = 0 (β₀ = 0, conserved u² − v² = 2α²; Even et al. 2023); `balanced` sets every factor to α·1; ' +
    '`unbalanced` sets u₁ = α·s, u_L = α/s (Azulay et al. 2021). Inputs must be vectors [d]; the output is [N, 1].',
  options: dlnOptions,
  create(options: ResolvedDlnOptions, context: ModelContext): ModelInstance {
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
    const p = parametrization(options);
    const layout = new ParamLayout(p.params.map((name) => ({ name, shape: [d] })));
    const init = layout.pack(
      Object.fromEntries(p.params.map((name, i) => [name, new Float64Array(d).fill(p.init[i])])),
    );
    return {
      graph: dlnGraph(p, d, context.dtype),
      batchedGraph: (runs) => batchedDlnGraph(p, d, context.dtype, runs),
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

/**
 * `runs` diagonal networks at once: β is built row-wise from parameters [runs, d] by the same elementwise ops,
 * and the predictions of all runs come from one Gemm, B·xᵀ = [runs, N], so x is read once per step for every
 * run. Output [runs, N, 1]. Row k of the Gemm (and of its gradient, dB = dF·x) is rounded the same whatever
 * the number of rows (tested bit for bit in float64 and, from two rows on, float32).
 */
function batchedDlnGraph(p: Parametrization, d: number, dtype: FloatDType, runs: number): Graph {
  if (!Number.isInteger(runs) || runs < 1) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `A batched \`model/dln\` needs a whole number of runs ≥ 1; received \`${runs}\``,
    );
  }
  const g = new GraphBuilder('dln_batched', DEFAULT_OPSET);
  const x = g.addInput('x', dtype, ['N', d]);
  const params = p.params.map((name) => g.addInput(name, dtype, [runs, d]));
  const beta = p.betaNode(g, params);
  const rows = g.op('Gemm', [beta, x], { transB: attr.int(1) }, 'predictions');
  const prediction = g.op('Unsqueeze', [rows, g.int64s([2], 'output_axis')], {}, 'prediction');
  g.addOutput(prediction, dtype, [runs, 'N', 1]);
  return g.build();
}
