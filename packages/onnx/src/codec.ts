import protobuf from 'protobufjs';
import { BiaslabError, sizeOf } from '@biaslab/core';
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
import { ONNX_PROTO } from './schema';

const root = protobuf.parse(ONNX_PROTO, { keepCase: true }).root;
const ModelProto = root.lookupType('onnx.ModelProto');

/** ONNX TensorProto.DataType codes for the dtypes biaslab handles. */
export const DATA_TYPE_CODE: Record<DType, number> = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 };
const DTYPE_OF_CODE = new Map<number, DType>(Object.entries(DATA_TYPE_CODE).map(([k, v]) => [v, k as DType]));
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;
const BYTES_PER: Record<DType, number> = { float32: 4, float64: 8, int64: 8, int32: 4, bool: 1 };

/** Metadata written into the model file. */
export interface EncodeOptions {
  producerName?: string;
  producerVersion?: string;
  metadata?: Record<string, string>;
}

/** IR version matching an opset (ONNX's published pairing; opset 17 ↔ IR 8). */
function irVersionFor(opset: number): number {
  if (opset >= 21) return 10;
  if (opset >= 19) return 9;
  if (opset >= 15) return 8;
  if (opset >= 13) return 7;
  return 6;
}

/** Serialises a graph to ONNX ModelProto bytes (tensors as little-endian `raw_data`). */
export function encodeModel(graph: Graph, options: EncodeOptions = {}): Uint8Array {
  const message = {
    ir_version: irVersionFor(graph.opset),
    opset_import: [{ domain: '', version: graph.opset }],
    producer_name: options.producerName ?? 'biaslab',
    producer_version: options.producerVersion ?? '0.1.0',
    graph: {
      name: graph.name,
      node: graph.nodes.map(encodeNode),
      initializer: graph.initializers.map((t) => encodeTensor(t, t.name)),
      input: graph.inputs.map(encodeValueInfo),
      output: graph.outputs.map(encodeValueInfo),
    },
    metadata_props: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  return ModelProto.encode(ModelProto.fromObject(message)).finish();
}

/** Parses ONNX ModelProto bytes into a Graph, with a clear error for malformed or unsupported content. */
export function decodeModel(bytes: Uint8Array): Graph {
  let decoded: Record<string, any>;
  try {
    decoded = ModelProto.toObject(ModelProto.decode(bytes), {
      longs: Number,
      bytes: Uint8Array,
      defaults: false,
    }) as Record<string, any>;
  } catch (error) {
    throw new BiaslabError(
      'ONNX_FORMAT',
      `Not a readable ONNX model: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
  const g = decoded.graph;
  if (!g) throw new BiaslabError('ONNX_FORMAT', 'The ONNX model has no graph');
  const opsets: { domain?: string; version?: number }[] = decoded.opset_import ?? [];
  const opset = opsets.find((o) => !o.domain || o.domain === 'ai.onnx')?.version;
  if (!opset) throw new BiaslabError('ONNX_FORMAT', 'The ONNX model imports no opset of the default domain');
  const initializers: Initializer[] = (g.initializer ?? []).map((t: any) => decodeTensor(t) as Initializer);
  return {
    name: g.name ?? '',
    opset,
    inputs: (g.input ?? []).map(decodeValueInfo),
    outputs: (g.output ?? []).map(decodeValueInfo),
    initializers,
    nodes: (g.node ?? []).map(decodeNode),
  };
}

function encodeNode(node: GraphNode): object {
  return {
    name: node.name,
    op_type: node.op,
    domain: node.domain ?? '',
    input: [...node.inputs],
    output: [...node.outputs],
    attribute: Object.entries(node.attributes).map(([name, a]) => encodeAttribute(name, a)),
  };
}

function encodeAttribute(name: string, a: AttributeValue): object {
  switch (a.type) {
    case 'float':
      return { name, type: ATTR.FLOAT, f: a.value };
    case 'int':
      return { name, type: ATTR.INT, i: a.value };
    case 'string':
      return { name, type: ATTR.STRING, s: new TextEncoder().encode(a.value) };
    case 'floats':
      return { name, type: ATTR.FLOATS, floats: [...a.value] };
    case 'ints':
      return { name, type: ATTR.INTS, ints: [...a.value] };
    case 'strings':
      return { name, type: ATTR.STRINGS, strings: a.value.map((s) => new TextEncoder().encode(s)) };
    case 'tensor':
      return { name, type: ATTR.TENSOR, t: encodeTensor(a.value) };
  }
}

function decodeNode(n: any): GraphNode {
  const attributes: Record<string, AttributeValue> = {};
  for (const a of n.attribute ?? []) attributes[a.name] = decodeAttribute(a, n);
  return {
    op: n.op_type ?? '',
    name: n.name ?? '',
    inputs: n.input ?? [],
    outputs: n.output ?? [],
    attributes,
    ...(n.domain ? { domain: n.domain } : {}),
  };
}

function decodeAttribute(a: any, node: any): AttributeValue {
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  switch (a.type) {
    case ATTR.FLOAT:
      return { type: 'float', value: a.f ?? 0 };
    case ATTR.INT:
      return { type: 'int', value: a.i ?? 0 };
    case ATTR.STRING:
      return { type: 'string', value: text(a.s ?? new Uint8Array()) };
    case ATTR.FLOATS:
      return { type: 'floats', value: a.floats ?? [] };
    case ATTR.INTS:
      return { type: 'ints', value: a.ints ?? [] };
    case ATTR.STRINGS:
      return { type: 'strings', value: (a.strings ?? []).map(text) };
    case ATTR.TENSOR: {
      const { name: _unused, ...tensor } = decodeTensor(a.t ?? {});
      return { type: 'tensor', value: tensor };
    }
    default:
      throw new BiaslabError(
        'ONNX_FORMAT',
        `Attribute \`${a.name}\` of node \`${node.name ?? ''}\` (${node.op_type}) has type ${a.type}, which biaslab does not read (graphs and sparse tensors are unsupported)`,
      );
  }
}

function encodeValueInfo(v: ValueInfo): object {
  return {
    name: v.name,
    type: {
      tensor_type: {
        elem_type: DATA_TYPE_CODE[v.dtype],
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

function decodeValueInfo(v: any): ValueInfo {
  const tt = v.type?.tensor_type;
  if (!tt)
    throw new BiaslabError(
      'ONNX_FORMAT',
      `Value \`${v.name}\` is not a tensor; biaslab reads tensor values only`,
    );
  const shape: Dim[] = (tt.shape?.dim ?? []).map((d: any, i: number) =>
    d.dim_value !== undefined ? Number(d.dim_value) : (d.dim_param ?? `d${i}`),
  );
  return { name: v.name, dtype: dtypeOf(tt.elem_type, `value \`${v.name}\``), shape };
}

function dtypeOf(code: number, where: string): DType {
  const dtype = DTYPE_OF_CODE.get(code);
  if (!dtype) {
    throw new BiaslabError(
      'DTYPE',
      `Unsupported ONNX data type ${code} for ${where}; supported: ${[...DTYPE_OF_CODE].map(([c, d]) => `${d} (${c})`).join(', ')}`,
    );
  }
  return dtype;
}

/** Serialises a tensor as little-endian raw bytes. */
function encodeTensor(t: Tensor, name?: string): object {
  const data = t.data;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  return { name: name ?? '', dims: [...t.shape], data_type: DATA_TYPE_CODE[t.dtype], raw_data: bytes };
}

/** Maximum number of elements biaslab will allocate for one tensor read from a file (2^31 − 1 bytes). */
const MAX_TENSOR_BYTES = 2 ** 31 - 1;

function decodeTensor(t: any): Tensor & { name: string } {
  const name = t.name ?? '';
  const dtype = dtypeOf(t.data_type ?? 0, `tensor \`${name}\``);
  const shape: number[] = (t.dims ?? []).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new BiaslabError('ONNX_FORMAT', `Tensor \`${name}\` has invalid dims [${shape.join(', ')}]`);
  }
  const n = sizeOf(shape);
  if (n * BYTES_PER[dtype] > MAX_TENSOR_BYTES) {
    throw new BiaslabError('ONNX_FORMAT', `Tensor \`${name}\` declares ${n} elements, too large to allocate`);
  }
  if (t.data_location === 1) {
    throw new BiaslabError(
      'ONNX_FORMAT',
      `Tensor \`${name}\` stores its data in an external file, which this reader does not load`,
    );
  }
  const data = allocate(dtype, n);
  const raw: Uint8Array | undefined = t.raw_data;
  if (raw && raw.length > 0) {
    if (raw.length !== n * BYTES_PER[dtype]) {
      throw new BiaslabError(
        'ONNX_FORMAT',
        `Tensor \`${name}\` has ${raw.length} raw bytes; shape [${shape.join(', ')}] of ${dtype} needs ${n * BYTES_PER[dtype]}`,
      );
    }
    new Uint8Array(data.buffer).set(raw);
  } else {
    const field: ArrayLike<number> | undefined =
      dtype === 'float32'
        ? t.float_data
        : dtype === 'float64'
          ? t.double_data
          : dtype === 'int64'
            ? t.int64_data
            : t.int32_data;
    const values = field ?? [];
    if (values.length !== n) {
      throw new BiaslabError(
        'ONNX_FORMAT',
        `Tensor \`${name}\` has ${values.length} values; shape [${shape.join(', ')}] needs ${n}`,
      );
    }
    for (let i = 0; i < n; i++) {
      if (data instanceof BigInt64Array) data[i] = BigInt(values[i]);
      else data[i] = Number(values[i]);
    }
  }
  return { name, dtype, shape, data } as Tensor & { name: string };
}

function allocate(dtype: DType, n: number): Tensor['data'] {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'bool':
      return new Uint8Array(n);
  }
}
