import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleWasmKernels } from '../scripts/assemble-wasm-kernels';
import { WASM_KERNELS_BASE64 } from './wasm-kernels';

test('the embedded WebAssembly kernel is wasm-kernels.wat assembled', async () => {
  assert.equal(
    WASM_KERNELS_BASE64,
    await assembleWasmKernels(),
    'wasm-kernels.ts is stale: run `node --import tsx packages/linalg/scripts/assemble-wasm-kernels.ts`.',
  );
});
