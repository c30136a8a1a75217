import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { isBiaslabError } from '@biaslab/core';
import type { ErrorCode } from '@biaslab/core';
import { ONNX_PROTO } from '../schema';
import { readOnnxModel } from './read-model';

const ModelProto = protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');

/** A one-node model y = w·input with the initializer `w` described by `tensor`. */
function model(tensor: Record<string, unknown>): Uint8Array {
  const info = (name: string) => ({
    name,
    type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_param: 'batch' }, { dim_value: 2 }] } } },
  });
  return ModelProto.encode(
    ModelProto.fromObject({
      ir_version: 8,
      opset_import: [{ domain: '', version: 17 }],
      graph: {
        name: 'g',
        node: [{ op_type: 'Mul', name: 'mul', input: ['input', 'w'], output: ['y'] }],
        initializer: [{ name: 'w', dims: [2], data_type: 1, ...tensor }],
        input: [info('input')],
        output: [info('y')],
      },
    }),
  ).finish();
}

const raw = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

function fails(code: ErrorCode, pattern: RegExp, run: () => unknown): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(isBiaslabError(e, code), `expected BiaslabError ${code}, received ${String(e)}`);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

test('external data is read through the loader, at its offset', () => {
  const file = new Uint8Array(16);
  file.set(raw([3, -4]), 8);
  const bytes = model({
    data_location: 1,
    external_data: [
      { key: 'location', value: 'weights.bin' },
      { key: 'offset', value: '8' },
      { key: 'length', value: '8' },
    ],
  });
  const seen: string[] = [];
  const { graph } = readOnnxModel(bytes, { externalData: (loc) => (seen.push(loc), file) });
  assert.deepEqual(seen, ['weights.bin']);
  assert.deepEqual(Array.from(graph.initializers[0].data as Float32Array), [3, -4]);
  fails('ONNX_FORMAT', /external file `weights\.bin`.*from a path/, () => readOnnxModel(bytes));
  fails('ONNX_FORMAT', /has 10 bytes.*truncated/, () =>
    readOnnxModel(bytes, { externalData: () => new Uint8Array(10) }),
  );
});

test('an unknown data type, a tensor too large, wrong data sizes and truncation are clear errors', () => {
  assert.equal(readOnnxModel(model({ raw_data: raw([1, 2]) })).graph.initializers.length, 1);
  fails('DTYPE', /data type 10.*initializer `w`.*supported: float32/, () =>
    readOnnxModel(model({ data_type: 10, raw_data: raw([1]) })),
  );
  fails('ONNX_FORMAT', /declares shape \[100000, 100000, 100\].*limit/, () =>
    readOnnxModel(model({ dims: [100000, 100000, 100], raw_data: raw([1]) })),
  );
  fails('ONNX_FORMAT', /declares shape \[1000\].*`64`-byte limit/, () =>
    readOnnxModel(model({ dims: [1000], raw_data: raw([1]) }), { maxTensorBytes: 64 }),
  );
  fails('ONNX_FORMAT', /has 4 bytes of data; shape \[2\] needs `8`/, () =>
    readOnnxModel(model({ raw_data: raw([1]) })),
  );
  fails('ONNX_FORMAT', /has 3 values; shape \[2\] needs `2`/, () =>
    readOnnxModel(model({ float_data: [1, 2, 3] })),
  );
  fails('ONNX_FORMAT', /invalid dims/, () => readOnnxModel(model({ dims: [-2], raw_data: raw([1]) })));
  const good = model({ raw_data: raw([1, 2]) });
  for (const cut of [1, 5, good.length - 3]) {
    assert.throws(
      () => readOnnxModel(good.subarray(0, cut)),
      (e: unknown) => isBiaslabError(e),
      `truncated at ${cut}`,
    );
  }
  fails('ONNX_FORMAT', /empty/, () => readOnnxModel(new Uint8Array()));
  fails('ONNX_FORMAT', /protobuf decoding failed/, () =>
    readOnnxModel(new TextEncoder().encode('not a model at all, just text')),
  );
});
