import type { GraphNode } from '@biaslab/core';
import type { ShapeRule } from '@biaslab/onnx';
import type { Emitter } from './emitter';
import type { VjpRule } from './rule';

/** Rewrites one node into ops with float64 kernels and returns the value that replaces its output 0. */
export type Float64Emit = (e: Emitter, node: GraphNode) => string;

/** An exact rewrite of an op into ops that onnxruntime runs in float64 (used by `lowerForFloat64`). */
export interface Float64Lowering {
  /** The nodes the rewrite handles (default: every node of the op). */
  readonly applies?: (node: GraphNode) => boolean;
  readonly emit: Float64Emit;
}

/**
 * float64 in onnxruntime-node 1.30 for an op that lacks a float64 CPU kernel at some or all opsets (measured:
 * session creation fails with "Could not find an implementation"). Ops without this field have float64 kernels
 * at every opset. Where onnxruntime inlines an op's ONNX function body (Elu/Softplus at opset 18, LeakyRelu at
 * 16–18) the body ops' float64 kernels are used, which `kernel` records.
 */
export interface Float64Support {
  /** The affected opsets and the way out, shown to users ("float64 only at opset 18; elsewhere …"). */
  readonly reason: string;
  /** The nodes onnxruntime does run in float64 (an opset range, an attribute value); absent: none. */
  readonly kernel?: (node: GraphNode, opset: number) => boolean;
  /** The rewrite into ops with float64 kernels; absent: float64 is blocked wherever `kernel` is false. */
  readonly lowering?: Float64Lowering;
}

/**
 * Everything biaslab knows about one ONNX op (default domain), in one place, the way JAX keeps a primitive's
 * rules on the primitive: how its outputs are typed, how it is differentiated (reverse mode, by opset range;
 * JVPs are derived from VJPs by transposition, see `jvpGraph`), whether onnxruntime runs it in float64 and how
 * it is lowered when not, and the samples the conformance tables check it on (inside each VJP rule). An op with
 * only a `shape` rule can be imported and run but not differentiated.
 */
export interface OpDefinition {
  readonly op: string;
  /** Output types from input types, at every opset of the op (absent: the op cannot be inferred). */
  readonly shape?: ShapeRule;
  /** Reverse-mode rules, one per opset range with its own semantics; empty: not differentiable. */
  readonly vjp: readonly VjpRule[];
  /** Absent: onnxruntime has float64 kernels for the op at every opset. */
  readonly float64?: Float64Support;
}

/** A VJP rule as an op file writes it: the op's name is filled in by `defineOp`. */
export type VjpRuleSpec = Omit<VjpRule, 'op'>;

/** What an op file passes to `defineOp`. */
export interface OpSpec {
  readonly op: string;
  readonly shape?: ShapeRule;
  readonly vjp?: readonly VjpRuleSpec[];
  readonly float64?: Float64Support;
}

/** An op definition from its spec, with the op's name on each of its VJP rules. */
export function defineOp(spec: OpSpec): OpDefinition {
  return { ...spec, vjp: (spec.vjp ?? []).map((rule) => ({ ...rule, op: spec.op })) };
}
