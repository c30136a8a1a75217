import protobuf from 'protobufjs';
import { BiaslabError, isBiaslabError } from '@biaslab/core';
import type { Graph } from '@biaslab/core';
import { DATA_TYPE_CODE, decodeModel } from '../codec';
import { ONNX_PROTO } from '../schema';

const ModelProto = protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');
const BYTES_PER_CODE = new Map<number, number>([
  [DATA_TYPE_CODE.float32, 4],
  [DATA_TYPE_CODE.float64, 8],
  [DATA_TYPE_CODE.int64, 8],
  [DATA_TYPE_CODE.int32, 4],
  [DATA_TYPE_CODE.bool, 1],
]);
const TYPED_FIELD: Record<number, string> = {
  [DATA_TYPE_CODE.float32]: 'float_data',
  [DATA_TYPE_CODE.float64]: 'double_data',
  [DATA_TYPE_CODE.int64]: 'int64_data',
  [DATA_TYPE_CODE.int32]: 'int32_data',
  [DATA_TYPE_CODE.bool]: 'int32_data',
};

/** Default limit on one tensor's declared size: 1 GiB. */
export const DEFAULT_MAX_TENSOR_BYTES = 2 ** 30;

/** How to read a model file. */
export interface ReadOnnxOptions {
  /**
   * Returns the bytes of an external-data file named by a tensor's `location` (relative to the model file).
   * Without it, a model whose tensors live in external files is refused with a clear error.
   */
  readonly externalData?: (location: string) => Uint8Array;
  /** Largest tensor (in bytes) the reader will allocate; default 1 GiB. */
  readonly maxTensorBytes?: number;
}

/** A decoded model file: its graph (external data loaded) and header fields. */
export interface OnnxFile {
  readonly graph: Graph;
  readonly irVersion: number;
  readonly producer: string;
}

/**
 * Parses `.onnx` bytes into a Graph. Before anything is allocated, every tensor (initializers and tensor
 * attributes) is checked: a known data type, non-negative integer dims, a declared size within
 * `maxTensorBytes`, and stored data that matches the declared size. External-data tensors are loaded through
 * `options.externalData`. Every failure is a `BiaslabError` (`ONNX_FORMAT` or `DTYPE`); no partial graph is
 * returned.
 */
export function readOnnxModel(bytes: Uint8Array, options: ReadOnnxOptions = {}): OnnxFile {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new BiaslabError(
      'ONNX_FORMAT',
      'The ONNX model is empty (0 bytes); pass the contents of a `.onnx` file',
    );
  }
  let message: Record<string, any>;
  try {
    message = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, defaults: false }) as Record<
      string,
      any
    >;
  } catch (error) {
    throw new BiaslabError(
      'ONNX_FORMAT',
      `Not a readable ONNX model (protobuf decoding failed: ${(error as Error).message}); the file is truncated or not an \`.onnx\` file`,
      {},
      { cause: error },
    );
  }
  try {
    if (!message.graph)
      throw new BiaslabError('ONNX_FORMAT', 'The ONNX model has no graph (field 7 of ModelProto is missing)');
    const limit = options.maxTensorBytes ?? DEFAULT_MAX_TENSOR_BYTES;
    let external = false;
    for (const t of message.graph.initializer ?? [])
      external = checkTensor(t, `initializer \`${t.name ?? ''}\``, limit, options) || external;
    for (const node of message.graph.node ?? []) {
      for (const a of node.attribute ?? []) {
        const where = `attribute \`${a.name ?? ''}\` of node \`${node.name ?? ''}\` (${node.op_type ?? '?'})`;
        if (a.t) external = checkTensor(a.t, where, limit, options) || external;
        for (const t of a.tensors ?? []) external = checkTensor(t, where, limit, options) || external;
      }
    }
    const decoded = external ? ModelProto.encode(ModelProto.fromObject(message)).finish() : bytes;
    return {
      graph: decodeModel(decoded),
      irVersion: Number(message.ir_version ?? 0),
      producer: String(message.producer_name ?? ''),
    };
  } catch (error) {
    if (isBiaslabError(error)) throw error;
    throw new BiaslabError(
      'ONNX_FORMAT',
      `Not a readable ONNX model: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
}

/** Validates one TensorProto (as a plain object) in place; loads external data into `raw_data`. Returns true if it did. */
function checkTensor(
  t: Record<string, any>,
  where: string,
  limit: number,
  options: ReadOnnxOptions,
): boolean {
  const code = Number(t.data_type ?? 0);
  const size = BYTES_PER_CODE.get(code);
  if (size === undefined) {
    throw new BiaslabError(
      'DTYPE',
      `Unsupported ONNX data type ${code} for ${where}; supported: ${Object.entries(DATA_TYPE_CODE)
        .map(([d, c]) => `${d} (${c})`)
        .join(', ')}. Convert the tensor to one of these types before exporting.`,
      { dataType: code },
    );
  }
  const dims: number[] = (t.dims ?? []).map(Number);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new BiaslabError(
      'ONNX_FORMAT',
      `${capital(where)} has invalid dims [${dims.join(', ')}]; dims must be integers ≥ 0`,
    );
  }
  let n = 1;
  for (const d of dims) n *= d;
  const byteLength = n * size;
  if (!Number.isSafeInteger(byteLength) || byteLength > limit) {
    throw new BiaslabError(
      'ONNX_FORMAT',
      `${capital(where)} declares shape [${dims.join(', ')}] (${n} elements, ${byteLength} bytes), more than the \`${limit}\`-byte limit; the file is corrupt or the model too large for biaslab`,
      { elements: n, limit },
    );
  }
  let loaded = false;
  if (Number(t.data_location ?? 0) === 1) {
    t.raw_data = loadExternal(t, where, byteLength, options);
    delete t.data_location;
    delete t.external_data;
    loaded = true;
  }
  const raw: Uint8Array | undefined = t.raw_data;
  if (raw && raw.length > 0) {
    if (raw.length !== byteLength) {
      throw new BiaslabError(
        'ONNX_FORMAT',
        `${capital(where)} has ${raw.length} bytes of data; shape [${dims.join(', ')}] needs \`${byteLength}\``,
      );
    }
  } else {
    const values: ArrayLike<unknown> = t[TYPED_FIELD[code]] ?? [];
    if (values.length !== n) {
      throw new BiaslabError(
        'ONNX_FORMAT',
        `${capital(where)} has ${values.length} values; shape [${dims.join(', ')}] needs \`${n}\``,
      );
    }
  }
  return loaded;
}

function loadExternal(
  t: Record<string, any>,
  where: string,
  byteLength: number,
  options: ReadOnnxOptions,
): Uint8Array {
  const entries = new Map<string, string>(
    (t.external_data ?? []).map((e: any) => [String(e.key ?? ''), String(e.value ?? '')]),
  );
  const location = entries.get('location');
  if (!location)
    throw new BiaslabError('ONNX_FORMAT', `${capital(where)} is stored externally but names no \`location\``);
  if (!options.externalData) {
    throw new BiaslabError(
      'ONNX_FORMAT',
      `${capital(where)} is stored in the external file \`${location}\`; read the model from a path (not bytes) so biaslab can open the files next to it`,
    );
  }
  const offset = Number(entries.get('offset') ?? 0);
  const length = entries.has('length') ? Number(entries.get('length')) : byteLength;
  if (!Number.isSafeInteger(offset) || offset < 0 || length !== byteLength) {
    throw new BiaslabError(
      'ONNX_FORMAT',
      `${capital(where)} has external offset \`${entries.get('offset')}\` and length \`${entries.get('length')}\`; expected an offset ≥ 0 and length ${byteLength}`,
    );
  }
  const file = options.externalData(location);
  if (offset + byteLength > file.length) {
    throw new BiaslabError(
      'ONNX_FORMAT',
      `External file \`${location}\` has ${file.length} bytes; ${where} needs bytes ${offset}–${offset + byteLength}. The file is truncated or belongs to another model`,
    );
  }
  return file.slice(offset, offset + byteLength);
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
