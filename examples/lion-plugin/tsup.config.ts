import { defineConfig } from 'tsup';

// @biaslab/core is a peer dependency: tsup leaves it external, so the plugin shares the host's copy (and its zod).
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: true,
  sourcemap: true,
  clean: true,
});
