import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleKernel } from '../scripts/assemble-kernel';
import { MATRIX_MULTIPLY_KERNEL_BASE64 } from './matrix-multiply-kernel';

test('the embedded WebAssembly kernel is matrix-multiply-kernel.wat assembled', async () => {
  assert.equal(
    MATRIX_MULTIPLY_KERNEL_BASE64,
    await assembleKernel(),
    'matrix-multiply-kernel.ts is stale: run `node --import tsx packages/linalg/scripts/assemble-kernel.ts`.',
  );
});
