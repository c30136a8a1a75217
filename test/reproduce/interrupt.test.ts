// A script stops a reproduction with an AbortSignal: the package throws ReproductionInterrupted naming the
// experiment directory (the CLI turns it into exit code 130), and a rerun into the same directory finishes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ReproductionInterrupted, runReproduction } from '@biaslab/reproductions';
import { tempDir } from '../cli/harness';
import { builtInRegistry } from './plugins';

test('an aborted reproduction throws ReproductionInterrupted; rerunning into its directory finishes it', async () => {
  const dir = tempDir();
  const registry = builtInRegistry();
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    runReproduction('dln-onepoint', { registry, out: dir, signal: controller.signal }),
    (error) => error instanceof ReproductionInterrupted && error.dir === join(dir, 'dln-onepoint', 'sweep'),
  );
  const result = await runReproduction('dln-onepoint', { registry, out: dir });
  assert.ok(result.verdicts.length >= 10, `${result.verdicts.length} verdicts`);
  assert.equal(result.results.get('dln-onepoint/sweep')?.interrupted, false);
});
