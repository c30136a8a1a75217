// The lab hands metrics what the runtime provides: the Gauss–Newton product (GGN = Hessian for a linear model
// with MSE; PSD and different from the Hessian for a tanh MLP away from zero loss).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { cli, tempDir } from './harness';

async function finalMetrics(model: string[]): Promise<Record<string, number>> {
  const out = tempDir();
  try {
    const argv = ['run', ...model, '--dataset', 'sparse-regression', '--dataset.n', '20', '--dataset.d', '6'];
    argv.push(
      '--eta',
      '0.05',
      '--metrics',
      'ggn-sharpness,sharpness',
      '--max-steps',
      '20',
      '--quiet',
      '--json',
      '--out',
      out,
    );
    const { code, stdout, stderr } = await cli(argv);
    assert.equal(code, 0, stderr);
    return JSON.parse(stdout).runs[0].metrics;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

test('ggn-sharpness reaches metrics through the lab: equal to the sharpness for linear + MSE', async () => {
  const m = await finalMetrics(['--model', 'linear']);
  assert.ok(m['ggn-sharpness'] > 0);
  assert.ok(Math.abs(m['ggn-sharpness'] - m.sharpness) <= 1e-10 * m.sharpness, JSON.stringify(m));
});

test('ggn-sharpness of a tanh MLP is positive and differs from the Hessian sharpness', async () => {
  const m = await finalMetrics(['--model', 'mlp', '--model.widths', '[8]']);
  assert.ok(m['ggn-sharpness.lambda'] > 0, JSON.stringify(m));
  assert.ok(Math.abs(m['ggn-sharpness'] - m.sharpness) > 1e-8 * m.sharpness, JSON.stringify(m));
});
