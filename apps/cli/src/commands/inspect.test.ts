import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { InspectRules } from '@biaslab/models';
import { inspectCommand } from './inspect';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', '..');
const RULES: InspectRules = {
  supportedOps: () => ['Gemm', 'Tanh', 'Relu'],
  float64Blockers: (graph) =>
    graph.nodes
      .filter((n) => n.op === 'Erf')
      .map((n) => ({ op: n.op, node: n.name, reason: 'no float64 kernel' })),
};

async function run(args: string[]): Promise<string> {
  let out = '';
  const io = { out: (s: string) => void (out += s), err: () => undefined, cwd: ROOT };
  const program = new Command('biaslab').exitOverride();
  program.addCommand(
    inspectCommand({ io, dotted: { model: {}, dataset: {}, optimizer: {}, metric: {} } }, RULES),
  );
  await program.parseAsync(['inspect', ...args], { from: 'user' });
  return out;
}

test('biaslab inspect prints inputs, outputs, parameters by layer, ops and the verdict', async () => {
  const text = await run(['test/fixtures/onnx/mlp.onnx']);
  assert.match(text, /inputs:\n {2}input {2}float32 \[batch, 6\]/);
  assert.match(text, /parameters: 155/);
  assert.match(text, /fc2\s+72/);
  assert.match(text, /Gemm\s+×3\s+rule: yes\s+float64: ok/);
  assert.match(text, /training: ok/);
  const json = JSON.parse(await run(['test/fixtures/onnx/mlp.onnx', '--json']));
  assert.equal(json.parameterCount, 155);
  await assert.rejects(run(['test/fixtures/onnx/none.onnx']), /No file `test\/fixtures\/onnx\/none\.onnx`/);
});
