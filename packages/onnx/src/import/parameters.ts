import { BiaslabError, ParamLayout } from '@biaslab/core';
import type { Graph, GraphNode, Initializer, ParamSpec, ValueInfo } from '@biaslab/core';

/** Which initializers train: glob patterns over initializer names (`*` any run of characters, `?` one). */
export interface ParameterPatterns {
  /** Initializers that become trained parameters (default `['*']`: every float initializer). */
  readonly train?: readonly string[];
  /** Initializers kept at their initial value (parameters with `trainable: false`); wins over `train`. */
  readonly freeze?: readonly string[];
}

/** The parameters of an imported graph. */
export interface ImportedParameters {
  /** The graph with every parameter an input (float initializers not chosen stay constants). */
  readonly graph: Graph;
  readonly layout: ParamLayout;
  /** θ₀: the initializer values in layout order. */
  readonly init: Float64Array;
  /** Float initializers kept as constants: running statistics and other non-trainable inputs. */
  readonly buffers: readonly string[];
  /** Float initializers matched by no `train` pattern (constants too). */
  readonly excluded: readonly string[];
}

/** Inputs of these ops that are state or settings, never trained (by position). */
const BUFFER_INPUTS: Readonly<Record<string, readonly number[]>> = {
  BatchNormalization: [3, 4],
  Clip: [1, 2],
  Dropout: [1],
  Pad: [2],
};
const BUFFER_NAME = /(^|[./])(running_mean|running_var|num_batches_tracked)$/;

/** A glob pattern as an anchored regular expression. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

function matchesAny(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => globToRegExp(p).test(name));
}

/**
 * PyTorch's exporter stores equal-valued parameters once and re-creates the others with `Identity` nodes (e.g.
 * two freshly initialised LayerNorm weights). An `Identity` whose input is an initializer is therefore an
 * independent parameter that happened to start equal; it becomes its own initializer, named after the Identity
 * output (the PyTorch parameter name), so it trains separately as in PyTorch.
 */
export function untieInitializers(graph: Graph): Graph {
  const byName = new Map(graph.initializers.map((t) => [t.name, t]));
  const copies: Initializer[] = [];
  const nodes: GraphNode[] = [];
  for (const node of graph.nodes) {
    const source = node.op === 'Identity' && !node.domain ? byName.get(node.inputs[0]) : undefined;
    if (source && node.outputs[0]) {
      copies.push({ ...source, name: node.outputs[0], data: source.data.slice() } as Initializer);
      continue;
    }
    nodes.push(node);
  }
  return copies.length ? { ...graph, nodes, initializers: [...graph.initializers, ...copies] } : graph;
}

/**
 * Turns float initializers into graph inputs (the parameters) and builds the layout and θ₀. Buffers — inputs 3
 * and 4 of BatchNormalization (running mean and variance), names ending in `running_mean`, `running_var` or
 * `num_batches_tracked`, and settings such as Clip bounds — stay constants. Patterns choose the rest: trained
 * (matched by `train`, not by `freeze`), frozen (matched by `freeze`: in θ with `trainable: false`), or
 * excluded (matched by no `train` pattern: stays a constant). A `train` or `freeze` pattern that matches no
 * initializer is an error, so a typo cannot silently train everything.
 */
export function extractParameters(graph: Graph, patterns: ParameterPatterns = {}): ImportedParameters {
  const train = patterns.train ?? ['*'];
  const freeze = patterns.freeze ?? [];
  const uses = new Map<string, { op: string; position: number }[]>();
  for (const node of graph.nodes) {
    node.inputs.forEach((input, position) => {
      if (input) uses.set(input, [...(uses.get(input) ?? []), { op: node.op, position }]);
    });
  }
  const isBuffer = (t: Initializer) =>
    BUFFER_NAME.test(t.name) ||
    (uses.get(t.name) ?? []).every((u) => BUFFER_INPUTS[u.op]?.includes(u.position)) ||
    !uses.has(t.name);
  const floats = graph.initializers.filter((t) => t.dtype === 'float32' || t.dtype === 'float64');
  const candidates = floats.filter((t) => !isBuffer(t));
  for (const [option, list] of [
    ['train', patterns.train ?? []],
    ['freeze', freeze],
  ] as const) {
    for (const p of list) {
      if (!candidates.some((t) => globToRegExp(p).test(t.name))) {
        throw new BiaslabError(
          'INVALID_OPTIONS',
          `The \`${option}\` pattern \`${p}\` matches no parameter of the model; parameters: ${candidates.map((t) => t.name).join(', ')}`,
          { pattern: p },
        );
      }
    }
  }
  const chosen = candidates.filter((t) => matchesAny(t.name, train) || matchesAny(t.name, freeze));
  const specs: ParamSpec[] = chosen.map((t) => ({
    name: t.name,
    shape: [...t.shape],
    trainable: !matchesAny(t.name, freeze),
  }));
  const layout = new ParamLayout(specs);
  const init = layout.zeros();
  for (const t of chosen) init.set(t.data as Float32Array | Float64Array, layout.slot(t.name).offset);
  const params = new Set(chosen.map((t) => t.name));
  const paramInputs: ValueInfo[] = chosen.map((t) => ({ name: t.name, dtype: t.dtype, shape: [...t.shape] }));
  return {
    graph: {
      ...graph,
      inputs: [...graph.inputs.filter((i) => !params.has(i.name)), ...paramInputs],
      initializers: graph.initializers.filter((t) => !params.has(t.name)),
    },
    layout,
    init,
    buffers: floats.filter(isBuffer).map((t) => t.name),
    excluded: candidates.filter((t) => !params.has(t.name)).map((t) => t.name),
  };
}
