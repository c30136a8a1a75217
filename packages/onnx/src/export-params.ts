import protobuf from 'protobufjs';
import { BiaslabError, isBiaslabError, sizeOf } from '@biaslab/core';
import { DATA_TYPE_CODE } from './codec';
import { ONNX_PROTO } from './schema';

const root = protobuf.parse(ONNX_PROTO, { keepCase: true }).root;
const TensorProto = root.lookupType('onnx.TensorProto');
const NodeProto = root.lookupType('onnx.NodeProto');
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const LENGTH_DELIMITED = 2;

/** New values for initializers, by name, as flat row-major arrays (any float precision). */
export type ParamValues = Readonly<Record<string, ArrayLike<number>>>;

/**
 * Writes trained parameters back into the original `.onnx` bytes: each named initializer gets the new values
 * as little-endian `raw_data` in its own data type (float32 values are rounded), externally stored ones are
 * inlined, and every other byte of the file — nodes, other tensors, metadata, fields biaslab does not model —
 * is copied unchanged, so onnxruntime and PyTorch load the result like the original. A name that is not an
 * initializer but the output of an `Identity` of one (PyTorch's deduplication of equal parameters, which the
 * importer splits) becomes a new initializer and that Identity node is dropped.
 */
export function writeOnnxParams(bytes: Uint8Array, values: ParamValues): Uint8Array {
  try {
    const pending = new Map(Object.entries(values));
    const out = rewriteFields(bytes, (field, payload) =>
      field === MODEL_GRAPH ? rewriteGraph(payload, pending) : undefined,
    );
    if (pending.size > 0) {
      throw new BiaslabError(
        'SHAPE',
        `No initializer named ${[...pending.keys()].map((n) => `\`${n}\``).join(', ')} in the model; write back only parameters imported from this file`,
      );
    }
    return out;
  } catch (error) {
    if (isBiaslabError(error)) throw error;
    throw new BiaslabError(
      'ONNX_FORMAT',
      `Could not rewrite the ONNX model: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
}

function rewriteGraph(graph: Uint8Array, pending: Map<string, ArrayLike<number>>): Uint8Array {
  const initializers = new Map<string, Record<string, any>>();
  forEachField(graph, (field, payload) => {
    if (field === GRAPH_INITIALIZER) {
      const t = TensorProto.toObject(TensorProto.decode(payload), { longs: Number }) as Record<string, any>;
      initializers.set(t.name, t);
    }
  });
  const untied = new Map<string, Record<string, any>>();
  for (const name of pending.keys()) {
    if (initializers.has(name)) continue;
    forEachField(graph, (field, payload) => {
      if (field !== GRAPH_NODE) return;
      const node = NodeProto.toObject(NodeProto.decode(payload)) as Record<string, any>;
      const source = initializers.get(node.input?.[0]);
      if (node.op_type === 'Identity' && node.output?.[0] === name && source) untied.set(name, source);
    });
  }
  const body = rewriteFields(graph, (field, payload) => {
    if (field === GRAPH_NODE && untied.size > 0) {
      const node = NodeProto.toObject(NodeProto.decode(payload)) as Record<string, any>;
      return node.op_type === 'Identity' && untied.has(node.output?.[0]) ? null : undefined;
    }
    if (field !== GRAPH_INITIALIZER) return undefined;
    const t = TensorProto.toObject(TensorProto.decode(payload), { longs: Number }) as Record<string, any>;
    const v = pending.get(t.name);
    if (!v) return undefined;
    pending.delete(t.name);
    return encodeTensor(t.name, t, v);
  });
  const parts: Uint8Array[] = [body];
  for (const [name, source] of untied) {
    const v = pending.get(name)!;
    pending.delete(name);
    parts.push(field(GRAPH_INITIALIZER, encodeTensor(name, source, v)));
  }
  return concat(parts);
}

/** A TensorProto named `name` with the dims and data type of `like` and the values `v` as raw_data. */
function encodeTensor(name: string, like: Record<string, any>, v: ArrayLike<number>): Uint8Array {
  const dims: number[] = (like.dims ?? []).map(Number);
  const code = Number(like.data_type ?? 0);
  if (v.length !== sizeOf(dims)) {
    throw new BiaslabError(
      'SHAPE',
      `Parameter \`${name}\` has ${v.length} values; initializer shape [${dims.join(', ')}] needs \`${sizeOf(dims)}\``,
    );
  }
  let data: Float32Array | Float64Array;
  if (code === DATA_TYPE_CODE.float32) data = Float32Array.from(v);
  else if (code === DATA_TYPE_CODE.float64) data = Float64Array.from(v);
  else
    throw new BiaslabError(
      'DTYPE',
      `Initializer \`${name}\` has data type ${code}; only float32 and float64 initializers are parameters`,
    );
  // Fields in number order with dims unpacked, as ONNX's own (proto2) serializer writes them, so writing the
  // initial values back reproduces PyTorch's file byte for byte.
  const w = protobuf.Writer.create();
  for (const d of dims) w.uint32((1 << 3) | 0).int64(d);
  w.uint32((2 << 3) | 0).int32(code);
  w.uint32((8 << 3) | LENGTH_DELIMITED).string(name);
  w.uint32((9 << 3) | LENGTH_DELIMITED).bytes(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  if (like.doc_string) w.uint32((12 << 3) | LENGTH_DELIMITED).string(String(like.doc_string));
  return w.finish();
}

type FieldVisitor = (field: number, payload: Uint8Array) => void;

/** Calls `visit` for every length-delimited field of a message. */
function forEachField(message: Uint8Array, visit: FieldVisitor): void {
  const reader = protobuf.Reader.create(message);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if ((tag & 7) === LENGTH_DELIMITED) visit(tag >>> 3, reader.bytes());
    else reader.skipType(tag & 7);
  }
}

/**
 * Copies a message field by field; `replace` may return new bytes for a length-delimited field's payload,
 * `null` to drop the field, or undefined to keep it byte for byte.
 */
function rewriteFields(
  message: Uint8Array,
  replace: (field: number, payload: Uint8Array) => Uint8Array | null | undefined,
): Uint8Array {
  const reader = protobuf.Reader.create(message);
  const parts: Uint8Array[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    if ((tag & 7) === LENGTH_DELIMITED) {
      const payload = reader.bytes();
      const next = replace(tag >>> 3, payload);
      if (next === null) continue;
      parts.push(next === undefined ? message.subarray(start, reader.pos) : field(tag >>> 3, next));
    } else {
      reader.skipType(tag & 7);
      parts.push(message.subarray(start, reader.pos));
    }
  }
  return concat(parts);
}

function field(number: number, payload: Uint8Array): Uint8Array {
  return protobuf.Writer.create()
    .uint32((number << 3) | LENGTH_DELIMITED)
    .bytes(payload)
    .finish();
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
