import { BiaslabError } from '@biaslab/core';
import type { AttributeValue, GraphNode, Tensor } from '@biaslab/core';
import type { ValueType } from '@biaslab/onnx';
import type { Emitter } from './emitter';

/** Builds one input's gradient on demand and returns the name of the value holding it. */
export type LazyGrad = () => string;

/** What a VJP rule sees: the node, the types of everything, the output cotangents and an emitter. */
export interface VjpContext {
  readonly node: GraphNode;
  readonly opset: number;
  /** Emits the gradient nodes (with types inferred as they are built). */
  readonly e: Emitter;
  /** Cotangent of each output (same shape as the output), or undefined where an output has none. */
  readonly cotangents: readonly (string | undefined)[];
  /** The cotangent of output 0 (most ops have one output). */
  readonly g: string;
  /** Inferred type of any value. */
  type(name: string): ValueType;
}

/**
 * A sample node for a rule: input specifications and attributes. The closure test runs every rule on its
 * samples; the conformance test checks every rule × sample against finite differences through onnxruntime.
 */
export interface RuleSample {
  readonly label: string;
  readonly inputs: readonly SampleInput[];
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

/**
 * One sample input: a float input of the given shape (uniform in `range`, negated at random when `signed`),
 * an int64 or bool constant, or `null` for an omitted optional input.
 */
export type SampleInput =
  | {
      readonly float: readonly number[];
      readonly range?: readonly [number, number];
      readonly signed?: boolean;
    }
  | { readonly int64: readonly number[]; readonly shape?: readonly number[] }
  | { readonly bool: readonly number[]; readonly shape: readonly number[] }
  | null;

/** The constant tensor of an int64 or bool sample input, with the type (and known int values) inference records. */
export function sampleConstant(spec: Extract<SampleInput, { int64: unknown } | { bool: unknown }>): {
  tensor: Tensor;
  type: ValueType;
} {
  const tensor: Tensor =
    'int64' in spec
      ? {
          dtype: 'int64',
          shape: spec.shape ?? [spec.int64.length],
          data: BigInt64Array.from(spec.int64.map(BigInt)),
        }
      : { dtype: 'bool', shape: spec.shape, data: Uint8Array.from(spec.bool) };
  const type = {
    dtype: tensor.dtype,
    shape: tensor.shape,
    ...('int64' in spec ? { value: spec.int64 } : {}),
  };
  return { tensor, type };
}

/**
 * A reverse-mode rule for one op over an opset range `[since, until]` (inclusive; open-ended without
 * `until`). `vjp` returns one lazy gradient per input, undefined where an input gets no gradient. A gradient
 * may have the broadcast (output-side) shape: the graph walker sums it down to the input's shape. Rules
 * emit only standard ops that have rules of their own, so derived graphs can be differentiated again.
 */
export interface VjpRule {
  readonly op: string;
  readonly since: number;
  readonly until?: number;
  /** Samples for the closure and conformance tests. */
  readonly samples: readonly RuleSample[];
  vjp(ctx: VjpContext): readonly (LazyGrad | undefined)[];
}

/** Cotangent of output 0, or an internal error when a rule is asked for a gradient with none flowing in. */
export function firstCotangent(node: GraphNode, cotangents: readonly (string | undefined)[]): string {
  const g = cotangents[0];
  if (!g)
    throw new BiaslabError(
      'INTERNAL',
      `Rule for \`${node.op}\` at node \`${node.name}\` was called without a cotangent`,
    );
  return g;
}
