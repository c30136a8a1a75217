import type { DType, Tensor } from './tensor';

/**
 * The graph data model shared by every package: plain values mirroring ONNX's GraphProto. `@biaslab/onnx`
 * builds, infers, encodes and decodes it; `@biaslab/autodiff` transforms it; models return it. It lives in
 * core so a model contract can name it without pulling in the protobuf codec.
 */

/** A dimension: a number, or a symbolic name such as `N` for the batch. */
export type Dim = number | string;

/** A typed, shaped graph input or output. */
export interface ValueInfo {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly Dim[];
}

/** A named constant tensor stored in the graph. */
export interface Initializer extends Tensor {
  readonly name: string;
}

/** Node attribute values, typed as ONNX types them (a JS number is ambiguous between INT and FLOAT). */
export type AttributeValue =
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'strings'; readonly value: readonly string[] }
  | { readonly type: 'tensor'; readonly value: Tensor };

/** One operator application. An empty string in `inputs` is an omitted optional input. */
export interface GraphNode {
  readonly op: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** Operator domain; '' (the default ONNX domain) when absent. */
  readonly domain?: string;
}

/** A whole graph with the opset of the default domain it targets. */
export interface Graph {
  readonly name: string;
  readonly opset: number;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly initializers: readonly Initializer[];
  readonly nodes: readonly GraphNode[];
}
