// A network exported from PyTorch, through the composed CLI: `inspect` explains it, `run` trains it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { cli, tempDir } from './harness';

test('biaslab inspect reports parameters by layer and the rule and float64 status of every op', async () => {
  const { code, stdout, stderr } = await cli(['inspect', 'test/fixtures/onnx/mlp.onnx']);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /parameters: 155/);
  assert.match(stdout, /Gemm\s+×\d+\s+rule: yes\s+float64: ok/);
  assert.match(stdout, /training: ok/);
});

test('--model onnx --model.path trains an exported MLP with a dataset of matching shape', async () => {
  const train = async (steps: number) => {
    const out = tempDir();
    try {
      const argv = ['run', '--model', 'onnx', '--model.path', 'test/fixtures/onnx/mlp.onnx'];
      argv.push(
        '--dataset',
        'teacher-student',
        '--dataset.d',
        '6',
        '--dataset.outputs',
        '3',
        '--dataset.n',
        '32',
      );
      argv.push(
        '--eta',
        '0.1',
        '--max-steps',
        String(steps),
        '--metrics',
        'sharpness',
        '--quiet',
        '--json',
        '--out',
        out,
      );
      const { code, stdout, stderr } = await cli(argv);
      assert.equal(code, 0, stderr);
      return JSON.parse(stdout).runs[0];
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  };
  const [start, end] = [await train(1), await train(300)];
  assert.ok(end.loss < 0.5 * start.loss, `loss ${start.loss} → ${end.loss}`);
  assert.ok(end.sharpness > 0 && Number.isFinite(end.sharpness), JSON.stringify(end));
});

test('a dataset whose shape does not fit the exported model is refused before training', async () => {
  const argv = [
    'run',
    '--model',
    'onnx',
    '--model.path',
    'test/fixtures/onnx/mlp.onnx',
    '--dataset',
    'teacher-student',
  ];
  argv.push('--dataset.d', '4', '--dataset.outputs', '3', '--eta', '0.1', '--quiet', '--out', tempDir());
  const { code, stderr } = await cli(argv);
  assert.equal(code, 2);
  assert.match(stderr, /model input `input` takes \[6\]/);
});
