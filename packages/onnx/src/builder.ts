import { BiaslabError } from '@biaslab/core';
import type {
  AttributeValue,
  DType,
  Dim,
  Graph,
  GraphNode,
  Initializer,
  Tensor,
  ValueInfo,
} from '@biaslab/core';

/** Attribute shorthands: typed explicitly, because a JS `1.0` cannot say whether it is an INT or a FLOAT. */
export const attr = {
  float: (value: number): AttributeValue => ({ type: 'float', value }),
  int: (value: number): AttributeValue => ({ type: 'int', value }),
  string: (value: string): AttributeValue => ({ type: 'string', value }),
  floats: (value: readonly number[]): AttributeValue => ({ type: 'floats', value }),
  ints: (value: readonly number[]): AttributeValue => ({ type: 'ints', value }),
  strings: (value: readonly string[]): AttributeValue => ({ type: 'strings', value }),
  tensor: (value: Tensor): AttributeValue => ({ type: 'tensor', value }),
};

/** The default opset biaslab emits (onnxruntime-node 1.30 runs opsets up to 23). */
export const DEFAULT_OPSET = 17;

/**
 * Builds a Graph node by node. Every method returns the name of the value it produced, so graphs read like
 * the math: `const h = g.op('Tanh', [g.op('MatMul', [x, w])])`. Names are made unique with a scope prefix.
 */
export class GraphBuilder {
  readonly opset: number;
  readonly name: string;
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly initializers: Initializer[] = [];
  private readonly nodes: GraphNode[] = [];
  private readonly used = new Set<string>();
  private scopes: string[] = [];
  private counter = 0;

  constructor(name = 'graph', opset = DEFAULT_OPSET) {
    this.name = name;
    this.opset = opset;
  }

  /** Starts from an existing graph: its inputs, initializers and nodes are kept; its outputs are not. */
  static from(graph: Graph, name = graph.name): GraphBuilder {
    const b = new GraphBuilder(name, graph.opset);
    for (const i of graph.inputs) b.addInput(i.name, i.dtype, i.shape);
    for (const init of graph.initializers) {
      b.initializers.push(init);
      b.used.add(init.name);
    }
    for (const n of graph.nodes) {
      b.nodes.push(n);
      for (const o of n.outputs) b.used.add(o);
      b.used.add(n.name);
    }
    return b;
  }

  /** Runs `fn` with names prefixed by `scope/`. */
  scope<T>(scope: string, fn: () => T): T {
    this.scopes.push(scope);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** A fresh, unused value name derived from `base`. */
  fresh(base: string): string {
    const prefix = this.scopes.length ? `${this.scopes.join('/')}/` : '';
    let name = `${prefix}${base}`;
    while (this.used.has(name)) name = `${prefix}${base}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  /** Declares a graph input with the exact name given (names of inputs are part of the model's contract). */
  addInput(name: string, dtype: DType, shape: readonly Dim[]): string {
    if (this.inputs.some((i) => i.name === name)) {
      throw new BiaslabError('SHAPE', `Graph input \`${name}\` is declared twice`);
    }
    this.inputs.push({ name, dtype, shape: [...shape] });
    this.used.add(name);
    return name;
  }

  /** Declares `value` a graph output, with its dtype and shape. */
  addOutput(value: string, dtype: DType, shape: readonly Dim[]): string {
    this.outputs.push({ name: value, dtype, shape: [...shape] });
    return value;
  }

  /** A named constant stored as an initializer. */
  constant(tensor: Tensor, base = 'const'): string {
    const name = this.fresh(base);
    this.initializers.push({
      name,
      dtype: tensor.dtype,
      shape: [...tensor.shape],
      data: tensor.data,
    } as Initializer);
    return name;
  }

  /** A scalar (or 1-D) float constant of the given dtype. */
  scalar(value: number, dtype: DType, base = 'c'): string {
    return this.constant(scalarTensor(value, dtype), base);
  }

  /** An int64 1-D constant, as ONNX wants for shapes and axes. */
  int64s(values: readonly number[], base = 'i64'): string {
    return this.constant(
      { dtype: 'int64', shape: [values.length], data: BigInt64Array.from(values.map(BigInt)) },
      base,
    );
  }

  /** Appends a node with one output and returns that output's name. */
  op(
    op: string,
    inputs: readonly string[],
    attributes: Record<string, AttributeValue> = {},
    base?: string,
  ): string {
    return this.opMulti(op, inputs, 1, attributes, base)[0];
  }

  /** Appends a node with `outputCount` outputs and returns their names. */
  opMulti(
    op: string,
    inputs: readonly string[],
    outputCount: number,
    attributes: Record<string, AttributeValue> = {},
    base?: string,
  ): string[] {
    const stem = base ?? op.toLowerCase();
    const nodeName = this.fresh(`${stem}_node`);
    const outputs = Array.from({ length: outputCount }, (_, i) =>
      this.fresh(outputCount === 1 ? stem : `${stem}_${i}`),
    );
    this.nodes.push({ op, name: nodeName, inputs: [...inputs], outputs, attributes });
    return outputs;
  }

  /** The finished graph (a snapshot; the builder may go on). */
  build(): Graph {
    if (this.outputs.length === 0) throw new BiaslabError('SHAPE', `Graph \`${this.name}\` has no outputs`);
    return {
      name: this.name,
      opset: this.opset,
      inputs: [...this.inputs],
      outputs: [...this.outputs],
      initializers: [...this.initializers],
      nodes: [...this.nodes],
    };
  }
}

/** A one-element tensor of the given dtype (shape [] — a true scalar). */
export function scalarTensor(value: number, dtype: DType): Tensor {
  switch (dtype) {
    case 'float64':
      return { dtype, shape: [], data: Float64Array.of(value) };
    case 'float32':
      return { dtype, shape: [], data: Float32Array.of(value) };
    case 'int64':
      return { dtype, shape: [], data: BigInt64Array.of(BigInt(value)) };
    case 'int32':
      return { dtype, shape: [], data: Int32Array.of(value) };
    case 'bool':
      return { dtype, shape: [], data: Uint8Array.of(value ? 1 : 0) };
  }
}
