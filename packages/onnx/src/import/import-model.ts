import { BiaslabError, isBiaslabError } from '@biaslab/core';
import type { Dim, Graph, GraphNode, ValueInfo } from '@biaslab/core';
import { inferTypes } from '../infer';
import type { ShapeRuleSet, ValueType } from '../infer';
import { applyMode } from './apply-mode';
import type { LayerMode } from './apply-mode';
import { foldShapes, withBatch } from './fold-shapes';
import { freshName, nodeLabel, pruneDead, renameValues, valueNames } from './graph-edit';
import { extractParameters, untieInitializers } from './parameters';
import type { ImportedParameters, ParameterPatterns } from './parameters';
import { readOnnxModel } from './read-model';
import type { ReadOnnxOptions } from './read-model';

/** The name the data input gets, and names the loss head reserves. */
export const IMPORT_DATA_INPUT = 'x';
const RESERVED = ['x', 'y', 'loss'];
/** Oldest opset the importer reads. */
export const MIN_IMPORT_OPSET = 11;
/** Batch sizes at which the graph is inferred to tell batch-dependent values from constants. */
const PROBES = [5, 7];

/** How to import a model file. */
export interface ImportOnnxOptions extends ReadOnnxOptions, ParameterPatterns {
  /** The op set whose shape rules type the graph (`OPS` of @biaslab/autodiff). */
  readonly ops: ShapeRuleSet;
  /** Dropout/BatchNormalization behaviour (default `eval`). */
  readonly mode?: LayerMode;
  /** Name of the data input (default: the one graph input that is not an initializer). */
  readonly input?: string;
  /** Name of the output taken as the prediction (default: the first output). */
  readonly output?: string;
  /** Per-sample input shape, used to resolve symbolic non-batch dimensions (e.g. a sequence length). */
  readonly sampleShape?: readonly number[];
  /** Fix the batch dimension to this n (everything that depends on it is folded); default: keep it symbolic. */
  readonly batchSize?: number;
  /** Symbol of the batch dimension when kept symbolic (default `N`). */
  readonly batchSymbol?: string;
  /**
   * Ops that have derivative rules at the model's opset (from `supportedOps(opset)` of @biaslab/autodiff). When
   * given, an op outside it fails the import with an error naming op, node, opset and this list.
   */
  readonly supportedOps?: (opset: number) => readonly string[];
}

/** What the importer learned about the file. */
export interface ImportInfo {
  readonly opset: number;
  readonly irVersion: number;
  readonly producer: string;
  /** The original names of the data input (now `x`) and of the prediction output. */
  readonly dataInput: string;
  readonly output: string;
  /** x's shape [batch, ...sample] and the prediction's shape. */
  readonly inputShape: readonly Dim[];
  readonly outputShape: readonly Dim[];
  /** Shape-computing nodes folded into constants, and batch-dependent Reshape targets rewritten. */
  readonly folded: number;
  readonly batchReshapes: number;
  readonly mode: LayerMode;
}

/**
 * An imported model: its parameters (the forward graph with inputs `x` and the parameters, the layout, θ₀ and
 * the float initializers that stay constant) and what the import found.
 */
export interface ImportedOnnxModel extends ImportedParameters {
  readonly info: ImportInfo;
}

/**
 * Imports a `.onnx` model (as written by `torch.onnx.export`, opset ≥ 11) for training: reads and validates
 * the file, picks the data input (renamed `x`) and the prediction output, makes the batch dimension symbolic
 * (or fixes it), splits exporter-deduplicated parameters, sets Dropout/BatchNorm behaviour, folds
 * shape-computing subgraphs into constants, turns initializers into parameter inputs and checks every op
 * against the derivative rules. Every failure is a `BiaslabError`, raised before anything is returned.
 */
export function importOnnxModel(bytes: Uint8Array, options: ImportOnnxOptions): ImportedOnnxModel {
  try {
    return importChecked(bytes, options);
  } catch (error) {
    if (isBiaslabError(error)) throw error;
    throw new BiaslabError(
      'ONNX_FORMAT',
      `Could not import the ONNX model: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
}

function importChecked(bytes: Uint8Array, options: ImportOnnxOptions): ImportedOnnxModel {
  const file = readOnnxModel(bytes, options);
  let g = file.graph;
  if (g.opset < MIN_IMPORT_OPSET) {
    throw new BiaslabError(
      'ONNX_FORMAT',
      `The model uses opset \`${g.opset}\`; biaslab imports opset ${MIN_IMPORT_OPSET} and later. Re-export with \`opset_version=17\` (torch.onnx.export) or convert the model.`,
      { opset: g.opset },
    );
  }
  g.nodes.forEach((node, i) => {
    if (node.domain && node.domain !== 'ai.onnx')
      throw noRule(node, i, g.opset, options, `custom domain \`${node.domain}\``);
  });
  const initializerNames = new Set(g.initializers.map((t) => t.name));
  const inputs = g.inputs.filter((i) => !initializerNames.has(i.name));
  const data = options.input
    ? inputs.find((i) => i.name === options.input)
    : inputs.length === 1
      ? inputs[0]
      : undefined;
  if (!data) {
    const names = inputs.map((i) => `\`${i.name}\``).join(', ') || 'none';
    throw new BiaslabError(
      'SHAPE',
      options.input
        ? `The model has no data input \`${options.input}\`; its inputs are ${names}`
        : `The model must have exactly one data input; it has ${names}. Name the data input with the \`input\` option.`,
    );
  }
  const output = options.output ? g.outputs.find((o) => o.name === options.output) : g.outputs[0];
  if (!output) {
    throw new BiaslabError(
      'SHAPE',
      `The model has no output \`${options.output ?? ''}\`; outputs: ${g.outputs.map((o) => o.name).join(', ') || 'none'}`,
    );
  }
  const inputShape = resolveInputShape(data, options);
  g = { ...g, inputs: [{ ...data, shape: inputShape }], outputs: [output] };

  const taken = valueNames(g);
  const mapping = new Map<string, string>();
  for (const name of RESERVED)
    if (taken.has(name) && name !== data.name) mapping.set(name, freshName(`${name}_model`, taken));
  mapping.set(data.name, IMPORT_DATA_INPUT);
  g = pruneDead(untieInitializers(renameValues(g, mapping)), new Set([IMPORT_DATA_INPUT]));

  const probes = options.batchSize !== undefined ? [options.batchSize] : PROBES;
  const mode = options.mode ?? 'eval';
  const env = probe(g, probes[0], options);
  g = applyMode(g, mode, (v) => env.get(v) as ValueType);
  const folding = guarded(() => foldShapes(g, IMPORT_DATA_INPUT, probes, options.ops), g, options, probes);
  g = folding.graph;
  const envs = probes.map((n) => probe(g, n, options));
  const outName = g.outputs[0].name;
  const outTypes = envs.map((e) => e.get(outName)!);
  const symbol = options.batchSymbol ?? 'N';
  const outputShape: Dim[] = outTypes[0].shape.map((d, i) =>
    outTypes.some((t) => t.shape[i] !== d) ? symbol : d,
  );
  const finalInput: ValueInfo = {
    name: IMPORT_DATA_INPUT,
    dtype: data.dtype,
    shape: [options.batchSize ?? symbol, ...inputShape.slice(1)],
  };
  g = {
    ...g,
    inputs: [finalInput],
    outputs: [{ name: outName, dtype: outTypes[0].dtype, shape: outputShape }],
  };

  const supported = options.supportedOps?.(g.opset);
  if (supported) {
    const known = new Set(supported);
    g.nodes.forEach((node, i) => {
      if (!known.has(node.op)) throw noRule(node, i, g.opset, options);
    });
  }
  const params = extractParameters(g, options);
  return {
    graph: params.graph,
    layout: params.layout,
    init: params.init,
    buffers: params.buffers,
    excluded: params.excluded,
    info: {
      opset: g.opset,
      irVersion: file.irVersion,
      producer: file.producer,
      dataInput: data.name,
      output: output.name,
      inputShape: finalInput.shape,
      outputShape,
      folded: folding.folded,
      batchReshapes: folding.batchReshapes,
      mode,
    },
  };
}

/** x's shape with a placeholder batch (0) and every other dimension numeric. */
function resolveInputShape(data: ValueInfo, options: ImportOnnxOptions): Dim[] {
  if (data.shape.length === 0) {
    throw new BiaslabError(
      'SHAPE',
      `The data input \`${data.name}\` is a scalar; biaslab needs [batch, …] inputs`,
    );
  }
  const sample = data.shape.slice(1);
  const given =
    options.sampleShape && options.sampleShape.length === sample.length ? options.sampleShape : undefined;
  const resolved = sample.map((d, i) => (typeof d === 'number' ? d : given?.[i]));
  const open = resolved.findIndex((d) => d === undefined);
  if (open >= 0) {
    throw new BiaslabError(
      'SHAPE',
      `The data input \`${data.name}\` has symbolic dimension \`${sample[open]}\` at axis ${open + 1} ([${data.shape.join(', ')}]); only the batch axis may be symbolic. Export with a fixed size there, or give the per-sample shape (\`sampleShape\`).`,
    );
  }
  return [0, ...(resolved as number[])];
}

function probe(g: Graph, n: number, options: ImportOnnxOptions): Map<string, ValueType> {
  return guarded(() => inferTypes(withBatch(g, IMPORT_DATA_INPUT, n), options.ops), g, options, [n]);
}

/** Runs inference-based steps, turning an unknown op into the import's op error and explaining batch failures. */
function guarded<T>(step: () => T, g: Graph, options: ImportOnnxOptions, probes: readonly number[]): T {
  try {
    return step();
  } catch (error) {
    if (isBiaslabError(error, 'NO_RULE') && typeof error.details.op === 'string') {
      const index = g.nodes.findIndex((n) => n.name === error.details.node && n.op === error.details.op);
      if (index >= 0) throw noRule(g.nodes[index], index, g.opset, options, 'no shape rule');
    }
    if (isBiaslabError(error, 'SHAPE') && options.batchSize === undefined) {
      throw new BiaslabError(
        'SHAPE',
        `${error.message} (while checking the model at batch size ${probes.join(', ')}). If the model was exported with a fixed batch size, export it with \`dynamic_axes={'input': {0: 'batch'}}\` or set \`batchSize\` to the dataset's n.`,
        error.details as Record<string, unknown>,
        { cause: error },
      );
    }
    throw error;
  }
}

function noRule(
  node: GraphNode,
  index: number,
  opset: number,
  options: ImportOnnxOptions,
  why?: string,
): BiaslabError {
  const op = node.domain ? `${node.domain}.${node.op}` : node.op;
  const supported = options.supportedOps?.(opset);
  const list = supported
    ? `supported ops: ${supported.join(', ')}`
    : 'see `biaslab inspect` for the supported ops';
  return new BiaslabError(
    'NO_RULE',
    `No derivative rule for \`${op}\` (opset ${opset}) at node \`${nodeLabel(node, index)}\`${why ? ` (${why})` : ''}; ${list}. Rewrite that part of the model with supported ops before exporting.`,
    { op: node.op, node: node.name, opset },
  );
}
