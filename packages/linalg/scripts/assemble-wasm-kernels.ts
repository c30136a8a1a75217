// Assembles src/wasm-kernels.wat into src/wasm-kernels.ts (the module's bytes, base64), so
// the package runs from its sources with no build step. After editing the .wat, run from the repository root:
//   node --import tsx packages/linalg/scripts/assemble-wasm-kernels.ts
// src/wasm-kernels.test.ts fails while the two disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import wabtInit from 'wabt';

const WAT = fileURLToPath(new URL('../src/wasm-kernels.wat', import.meta.url));
const OUT = fileURLToPath(new URL('../src/wasm-kernels.ts', import.meta.url));

/** The base64 bytes of wasm-kernels.wat, assembled by wabt (the WebAssembly project's toolkit). */
export async function assembleWasmKernels(): Promise<string> {
  const wabt = await wabtInit();
  const module = wabt.parseWat('wasm-kernels.wat', readFileSync(WAT, 'utf8'), { simd: true });
  try {
    module.validate();
    return Buffer.from(module.toBinary({}).buffer).toString('base64');
  } finally {
    module.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const base64 = await assembleWasmKernels();
  writeFileSync(
    OUT,
    '// Generated from wasm-kernels.wat by scripts/assemble-wasm-kernels.ts; do not edit.\n\n' +
      '/** The WebAssembly module of wasm-kernels.wat, base64. */\n' +
      `export const WASM_KERNELS_BASE64 =\n  '${base64}';\n`,
  );
  console.log(`wrote ${OUT} (${base64.length} base64 characters)`);
}
