import { BiaslabError } from '@biaslab/core';
import { WASM_KERNELS_BASE64 } from './wasm-kernels';

// What this package uses of WebAssembly's JavaScript API: the workspace compiles against the ES2022 library and
// Node's types, which declare no WebAssembly namespace.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}

/** The functions of wasm-kernels.wat on one instance, with that instance's memory (offsets in bytes). */
export interface WasmKernels {
  /** The packed matrix-product block of `multiply` (matrix-multiply.ts). */
  readonly block: (mp: number, np: number, kc: number, a: number, b: number, c: number, ldc: number) => void;
  /** The symmetric rank-2k update of the blocked Householder reduction (householder-tridiagonal.ts). */
  readonly rank2k: (a: number, n: number, from: number, vw: number, count: number) => void;
  /** The symmetric matrix–vector product of the blocked Householder reduction (householder-tridiagonal.ts). */
  readonly symv: (a: number, n: number, from: number, v: number, y: number) => void;
  /** The instance's memory, at least the bytes asked for; a view made before growing stays valid. */
  readonly memory: ArrayBuffer;
}

const PAGE = 65536;
let compiled: WebAssembly.Module | undefined;

/**
 * A new instance of the kernels with at least `bytes` of memory of its own (the module is compiled once).
 * Throws `BiaslabError` `RUNTIME` when the runtime lacks WebAssembly SIMD or cannot provide the memory.
 */
export function instantiateWasmKernels(bytes: number): WasmKernels {
  try {
    compiled ??= new WebAssembly.Module(Uint8Array.from(atob(WASM_KERNELS_BASE64), (ch) => ch.charCodeAt(0)));
    const instance = new WebAssembly.Instance(compiled);
    const exports = instance.exports as Pick<WasmKernels, 'block' | 'rank2k' | 'symv'> & {
      memory: WebAssembly.Memory;
    };
    const missing = Math.ceil((bytes - exports.memory.buffer.byteLength) / PAGE);
    if (missing > 0) exports.memory.grow(missing);
    return {
      block: exports.block,
      rank2k: exports.rank2k,
      symv: exports.symv,
      memory: exports.memory.buffer,
    };
  } catch (error) {
    throw new BiaslabError(
      'RUNTIME',
      `The linear-algebra kernels need WebAssembly with 128-bit SIMD and \`${bytes}\` bytes of its memory: ` +
        `instantiating them failed with \`${String(error)}\`. Run on Node ≥ 16.4 with that much memory free.`,
    );
  }
}
