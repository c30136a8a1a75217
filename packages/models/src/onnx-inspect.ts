import { isBiaslabError, sizeOf } from '@biaslab/core';
import type { Dim, Graph } from '@biaslab/core';
import { OPS, float64Blockers, supportedOps } from '@biaslab/autodiff';
import { importOnnxModel, readOnnxModel } from '@biaslab/onnx';
import type { ImportOnnxOptions, ImportedOnnxModel } from '@biaslab/onnx';

/** One node that keeps a model off float64: op, node and why (from the op definitions of @biaslab/autodiff). */
export interface Float64Note {
  readonly op: string;
  readonly node: string;
  readonly reason: string;
}

/**
 * What the analysis is checked against: by default `supportedOps` and `float64Blockers` of @biaslab/autodiff,
 * which read its op definitions (`float64Blockers` honours each op's opset and attribute conditions and the
 * ops `lowerForFloat64` rewrites). Tests pass their own.
 */
export interface InspectRules {
  supportedOps(opset: number): readonly string[];
  float64Blockers(graph: Graph): readonly Float64Note[];
}

/** The op registry's answers (see {@link InspectRules}). */
export const REGISTRY_RULES: InspectRules = { supportedOps, float64Blockers };

/** One op type of the model as it will be trained (after folding). */
export interface InspectedOp {
  readonly op: string;
  readonly count: number;
  /** Whether @biaslab/autodiff has a derivative rule for it at the model's opset. */
  readonly rule: boolean;
  /** `ok`, or why this op has no float64 kernel. */
  readonly float64: string;
}

/** The report of `biaslab inspect`. */
export interface OnnxInspection {
  readonly opset: number;
  readonly producer: string;
  readonly inputs: readonly { name: string; dtype: string; shape: readonly Dim[] }[];
  readonly outputs: readonly { name: string; dtype: string; shape: readonly Dim[] }[];
  /** Parameters grouped by layer (the name up to its last `.`), in file order. */
  readonly layers: readonly {
    layer: string;
    parameters: number;
    trainable: number;
    tensors: readonly string[];
  }[];
  readonly parameterCount: number;
  readonly buffers: readonly string[];
  readonly ops: readonly InspectedOp[];
  /** Shape-computing nodes folded into constants at import. */
  readonly folded: number;
  /** What stops training (empty when the model trains). */
  readonly blockers: readonly string[];
  /** What stops float64 (empty when float64 runs). */
  readonly float64Blockers: readonly Float64Note[];
}

/**
 * Analyses a model file for training: inputs and outputs, parameter count by layer, every op (after shape
 * folding) with its derivative rule and float64 status, and what blocks training or float64. A model that does
 * not import is still reported (from the raw file), with the import error as a blocker; an unreadable file
 * throws its `BiaslabError`.
 */
export function inspectOnnxModel(
  bytes: Uint8Array,
  rules: InspectRules = REGISTRY_RULES,
  options: Omit<ImportOnnxOptions, 'ops'> = {},
): OnnxInspection {
  const file = readOnnxModel(bytes, options);
  const raw = file.graph;
  const initializerNames = new Set(raw.initializers.map((t) => t.name));
  const blockers: string[] = [];
  let model: ImportedOnnxModel | undefined;
  try {
    model = importOnnxModel(bytes, { ...options, ops: OPS, supportedOps: undefined });
  } catch (error) {
    if (!isBiaslabError(error)) throw error;
    blockers.push(error.message);
  }
  const graph = model?.graph ?? raw;
  const supported = new Set(rules.supportedOps(graph.opset));
  const counts = new Map<string, number>();
  for (const n of graph.nodes) counts.set(n.op, (counts.get(n.op) ?? 0) + 1);
  const notes: Float64Note[] = [...rules.float64Blockers(graph)];
  const ops: InspectedOp[] = [...counts].map(([op, count]) => ({
    op,
    count,
    rule: supported.has(op),
    float64: notes.find((b) => b.op === op)?.reason ?? 'ok',
  }));
  for (const o of ops.filter((o) => !o.rule)) {
    blockers.push(
      `No derivative rule for \`${o.op}\` (opset ${graph.opset}, ${o.count} node${o.count > 1 ? 's' : ''})`,
    );
  }
  const tensors = model
    ? model.layout.slots.map((s) => ({ name: s.name, size: s.size, trainable: s.trainable !== false }))
    : raw.initializers
        .filter((t) => t.dtype === 'float32' || t.dtype === 'float64')
        .map((t) => ({ name: t.name, size: sizeOf(t.shape), trainable: true }));
  const layers = new Map<
    string,
    { layer: string; parameters: number; trainable: number; tensors: string[] }
  >();
  for (const t of tensors) {
    const layer = layerOf(t.name, graph);
    const entry = layers.get(layer) ?? { layer, parameters: 0, trainable: 0, tensors: [] };
    entry.parameters += t.size;
    if (t.trainable) entry.trainable += t.size;
    entry.tensors.push(t.name);
    layers.set(layer, entry);
  }
  return {
    opset: raw.opset,
    producer: file.producer,
    inputs: raw.inputs
      .filter((i) => !initializerNames.has(i.name))
      .map((i) => ({ name: i.name, dtype: i.dtype, shape: i.shape })),
    outputs: raw.outputs.map((o) => ({ name: o.name, dtype: o.dtype, shape: o.shape })),
    layers: [...layers.values()],
    parameterCount: tensors.reduce((s, t) => s + t.size, 0),
    buffers: model?.buffers ?? [],
    ops,
    folded: model?.info.folded ?? 0,
    blockers,
    float64Blockers: notes,
  };
}

/**
 * A parameter's layer: its name up to the last `.` (`fc1.weight` → `fc1`). Weights the exporter renamed
 * (`onnx::MatMul_124`, a transposed copy) take the scope of the node that reads them (`/qkv/MatMul` → `qkv`).
 */
function layerOf(name: string, graph: Graph): string {
  if (name.includes('.') && !name.includes('::')) return name.slice(0, name.lastIndexOf('.'));
  const reader = graph.nodes.find((n) => n.inputs.includes(name));
  const scope = reader?.name.split('/').filter(Boolean) ?? [];
  return scope.length >= 2 ? scope[scope.length - 2] : name;
}

/** The report as text: sections for inputs/outputs, parameters by layer, ops, and the verdict. */
export function formatInspection(report: OnnxInspection, title = 'model'): string {
  const shape = (s: readonly Dim[]) => `[${s.join(', ')}]`;
  const lines = [
    `${title}: opset ${report.opset}${report.producer ? `, exported by ${report.producer}` : ''}`,
    '',
  ];
  lines.push('inputs:', ...report.inputs.map((i) => `  ${i.name}  ${i.dtype} ${shape(i.shape)}`));
  lines.push('outputs:', ...report.outputs.map((o) => `  ${o.name}  ${o.dtype} ${shape(o.shape)}`), '');
  lines.push(`parameters: ${report.parameterCount}`);
  const width = Math.max(5, ...report.layers.map((l) => l.layer.length));
  for (const l of report.layers) {
    const frozen = l.trainable < l.parameters ? `  (${l.parameters - l.trainable} frozen)` : '';
    lines.push(`  ${l.layer.padEnd(width)}  ${String(l.parameters).padStart(8)}${frozen}`);
  }
  if (report.buffers.length) lines.push(`buffers (constant): ${report.buffers.join(', ')}`);
  lines.push('', `ops (${report.folded} shape-computing nodes folded into constants):`);
  const opWidth = Math.max(2, ...report.ops.map((o) => o.op.length));
  for (const o of report.ops) {
    lines.push(
      `  ${o.op.padEnd(opWidth)}  ×${String(o.count).padEnd(3)}  rule: ${o.rule ? 'yes' : 'MISSING'}  float64: ${o.float64}`,
    );
  }
  lines.push('');
  lines.push(
    report.blockers.length
      ? `training blocked:\n${report.blockers.map((b) => `  - ${b}`).join('\n')}`
      : 'training: ok',
  );
  lines.push(
    report.float64Blockers.length
      ? `float64 blocked (run in float32): ${[...new Set(report.float64Blockers.map((b) => b.op))].join(', ')}`
      : 'float64: ok',
  );
  return `${lines.join('\n')}\n`;
}
