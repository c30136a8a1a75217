import { BiaslabError } from '@biaslab/core';
import type { FloatDType, Graph, LossKind } from '@biaslab/core';
import { GraphBuilder, attr } from '@biaslab/onnx';

/** Name of the scalar loss output and of the target input in every objective graph. */
export const LOSS_OUTPUT = 'loss';
export const TARGET_INPUT = 'y';
export const DATA_INPUT = 'x';

/**
 * Replaces the symbolic batch dimension of the data input `x` by `n`, so every derived graph has static
 * shapes (full-batch training always knows n).
 */
export function fixBatch(graph: Graph, n: number): Graph {
  const x = graph.inputs.find((i) => i.name === DATA_INPUT);
  if (!x) {
    throw new BiaslabError(
      'SHAPE',
      `Model graph \`${graph.name}\` has no data input \`${DATA_INPUT}\`; inputs: ${graph.inputs.map((i) => i.name).join(', ')}`,
    );
  }
  return {
    ...graph,
    inputs: graph.inputs.map((i) => ({ ...i, shape: i.shape.map((d) => (typeof d === 'string' ? n : d)) })),
    outputs: graph.outputs.map((o) => ({ ...o, shape: o.shape.map((d) => (typeof d === 'string' ? n : d)) })),
  };
}

/**
 * Appends the training loss to a forward graph whose first output is the prediction f ∈ ℝ^{n×k}:
 * - `mse`:            L = (1/N) Σᵢ ½‖f(xᵢ) − yᵢ‖²  (summed over outputs, averaged over samples)
 * - `cross-entropy`:  L = −(1/N) Σᵢ ⟨yᵢ, log softmax(f(xᵢ))⟩ with one-hot yᵢ (stable LogSoftmax)
 * where the sum runs over the graph's n rows and N = `normalizer` (default n). A chunk of a larger batch
 * uses the whole batch's N, so the chunks' losses, gradients and HVPs add up to the whole batch's.
 * The result has the extra input `y` [n, k] and the single scalar output `loss`.
 */
export function withLoss(
  forward: Graph,
  loss: LossKind,
  n: number,
  dtype: FloatDType,
  normalizer = n,
): Graph {
  const prediction = forward.outputs[0];
  if (!prediction) throw new BiaslabError('SHAPE', `Model graph \`${forward.name}\` has no output`);
  const k = prediction.shape[prediction.shape.length - 1];
  if (prediction.shape.length !== 2 || typeof k !== 'number') {
    throw new BiaslabError(
      'SHAPE',
      `The model's output \`${prediction.name}\` must have shape [N, outputs]; received [${prediction.shape.join(', ')}]`,
    );
  }
  const g = GraphBuilder.from(forward, `${forward.name}+${loss}`);
  const y = g.addInput(TARGET_INPUT, dtype, [n, k]);
  const f = prediction.name;
  let total: string;
  if (loss === 'mse') {
    const r = g.op('Sub', [f, y], {}, 'residual');
    const sq = g.op('Mul', [r, r], {}, 'squared');
    const sum = g.op('ReduceSum', [sq], { keepdims: attr.int(0) }, 'sum_sq');
    total = g.op('Mul', [sum, g.scalar(0.5 / normalizer, dtype, 'half_over_n')], {}, 'loss_value');
  } else {
    const logp = g.op('LogSoftmax', [f], { axis: attr.int(1) }, 'log_probs');
    const picked = g.op('Mul', [logp, y], {}, 'picked');
    const sum = g.op('ReduceSum', [picked], { keepdims: attr.int(0) }, 'sum_logp');
    total = g.op('Mul', [sum, g.scalar(-1 / normalizer, dtype, 'minus_one_over_n')], {}, 'loss_value');
  }
  const named = g.op('Identity', [total], {}, LOSS_OUTPUT);
  if (named !== LOSS_OUTPUT) {
    throw new BiaslabError(
      'SHAPE',
      `The model graph already has a value named \`${LOSS_OUTPUT}\`; rename it so the loss head can use that name`,
    );
  }
  g.addOutput(LOSS_OUTPUT, dtype, []);
  return g.build();
}
