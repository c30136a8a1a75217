import { BiaslabError } from '@biaslab/core';
import type { MetricContext, ParamLayout } from '@biaslab/core';
import type { LinearOperator } from '@biaslab/linalg';

/** A product v ↦ M(θ)·v over the whole flat θ: the Hessian (`Oracle.hvp`) or the Gauss–Newton matrix. */
export type ThetaProduct = (theta: Float64Array, v: Float64Array) => Promise<Float64Array>;

/** A linear operator over the trained coordinates that counts the products it asks for. */
export interface CountedOperator {
  /** v ↦ M[I, I]·v for the trained indices I. */
  readonly apply: LinearOperator;
  /** Order |I| of the operator. */
  readonly size: number;
  /** Products of the underlying `ThetaProduct` made so far. */
  products(): number;
}

/** Indices of θ's trained coordinates (slots with `trainable !== false`), in layout order. */
export function trainedIndices(layout: ParamLayout): number[] {
  const out: number[] = [];
  for (const s of layout.slots) {
    if (s.trainable === false) continue;
    for (let i = 0; i < s.size; i++) out.push(s.offset + i);
  }
  return out;
}

/**
 * The trained indices of the context after checking that θ fits the training objective; a clear error when θ
 * has the wrong length or no parameter is trained (the operator would be empty).
 */
export function checkedTrainedIndices(
  context: Pick<MetricContext, 'theta' | 'train' | 'layout'>,
  metric: string,
): number[] {
  const { theta, train } = context;
  if (theta.length !== train.size) {
    throw new BiaslabError(
      'SHAPE',
      `Metric \`metric/${metric}\`: θ has \`${theta.length}\` entries but the training objective expects \`${train.size}\`.`,
    );
  }
  const indices = trainedIndices(context.layout);
  if (indices.length === 0) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      `Metric \`metric/${metric}\`: the model has no trained parameters, so the operator is empty. Mark at least one parameter trainable.`,
    );
  }
  return indices;
}

/**
 * The principal submatrix M[I, I] of a θ-sized product as an operator on |I|-vectors: scatter v into θ's
 * coordinates, multiply, gather back (frozen coordinates are projected out). `scale`, when given, makes the
 * operator D M[I, I] D with D = diag(scale) (length |I|): the symmetric form of a diagonal preconditioning or
 * rescaling.
 */
export function trainedOperator(
  product: ThetaProduct,
  theta: Float64Array,
  indices: readonly number[],
  scale?: Float64Array,
): CountedOperator {
  const size = theta.length;
  const p = indices.length;
  const all = p === size;
  let products = 0;
  const apply: LinearOperator = async (v) => {
    const x = scale ? Float64Array.from(v, (vi, i) => vi * scale[i]) : v;
    let full: Float64Array;
    if (all) full = x;
    else {
      full = new Float64Array(size);
      for (let i = 0; i < p; i++) full[indices[i]] = x[i];
    }
    products++;
    const out = await product(theta, full);
    if (out.length !== size) {
      throw new BiaslabError(
        'SHAPE',
        `The operator product returned \`${out.length}\` entries for θ of \`${size}\`; a Hessian- or GGN-vector product must keep θ's length.`,
      );
    }
    const y = all ? Float64Array.from(out) : Float64Array.from(indices, (index) => out[index]);
    if (scale) for (let i = 0; i < p; i++) y[i] *= scale[i];
    return y;
  };
  return { apply, size: p, products: () => products };
}
