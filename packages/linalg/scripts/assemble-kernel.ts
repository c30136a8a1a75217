// Assembles src/matrix-multiply-kernel.wat into src/matrix-multiply-kernel.ts (the module's bytes, base64), so
// the package runs from its sources with no build step. After editing the .wat, run from the repository root:
//   node --import tsx packages/linalg/scripts/assemble-kernel.ts
// src/matrix-multiply-kernel.test.ts fails while the two disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import wabtInit from 'wabt';

const WAT = fileURLToPath(new URL('../src/matrix-multiply-kernel.wat', import.meta.url));
const OUT = fileURLToPath(new URL('../src/matrix-multiply-kernel.ts', import.meta.url));

/** The base64 bytes of matrix-multiply-kernel.wat, assembled by wabt (the WebAssembly project's toolkit). */
export async function assembleKernel(): Promise<string> {
  const wabt = await wabtInit();
  const module = wabt.parseWat('matrix-multiply-kernel.wat', readFileSync(WAT, 'utf8'), { simd: true });
  try {
    module.validate();
    return Buffer.from(module.toBinary({}).buffer).toString('base64');
  } finally {
    module.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const base64 = await assembleKernel();
  writeFileSync(
    OUT,
    '// Generated from matrix-multiply-kernel.wat by scripts/assemble-kernel.ts; do not edit.\n\n' +
      '/** The WebAssembly module of matrix-multiply-kernel.wat, base64. */\n' +
      `export const MATRIX_MULTIPLY_KERNEL_BASE64 =\n  '${base64}';\n`,
  );
  console.log(`wrote ${OUT} (${base64.length} base64 characters)`);
}
