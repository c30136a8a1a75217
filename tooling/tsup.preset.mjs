// Shared tsup preset: every package builds ESM + declarations from src/index.ts.
import { defineConfig } from 'tsup';

/** @param {import('tsup').Options} [overrides] */
export function biaslabTsup(overrides = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    ...overrides,
  });
}
