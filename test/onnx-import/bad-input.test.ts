// Bad model files fail at import with BiaslabErrors: an op without a derivative rule (named with node, opset and
// the supported list), and a seeded fuzz over the fixtures (bit flips, truncations, splices) in which every
// failure must be a BiaslabError — never a RangeError, TypeError or a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError } from '@biaslab/core';
import { OPS, supportedOps } from '@biaslab/autodiff';
import { importOnnxModel } from '@biaslab/onnx';
import { FIXTURES, fixtureBytes } from './fixtures';

test('an op without a derivative rule fails the import, naming op, node, opset and the supported ops', () => {
  const bytes = fixtureBytes('mlp').slice();
  // NodeProto.op_type is field 4: tag 0x22, length 4, then the name
  const at = Buffer.from(bytes).indexOf(Buffer.from('\x22\x04Tanh', 'latin1'));
  assert.ok(at > 0, 'the mlp fixture has a Tanh node');
  bytes.set(new TextEncoder().encode('Sinh'), at + 2);
  assert.throws(
    () => importOnnxModel(bytes, { ops: OPS, supportedOps }),
    (e: unknown) => {
      assert.ok(isBiaslabError(e, 'NO_RULE'), String(e));
      assert.match((e as Error).message, /`Sinh` \(opset 17\) at node `\/Tanh`/);
      assert.match((e as Error).message, /supported ops: .*Gemm.*MatMul/);
      return true;
    },
  );
});

const SEED = 20240611;
const CASES = 300;

test(`fuzz: ${CASES} mutated fixtures either import or fail with a BiaslabError (seed ${SEED})`, () => {
  const rng = new Rng(SEED);
  const sources = FIXTURES.map(fixtureBytes);
  const started = Date.now();
  const outcomes = { imported: 0, failed: 0 };
  for (let i = 0; i < CASES; i++) {
    const source = sources[rng.int(sources.length)];
    const kind = ['flip', 'truncate', 'splice'][i % 3];
    const bytes = mutate(source, kind, rng, sources);
    try {
      importOnnxModel(bytes, { ops: OPS, supportedOps });
      outcomes.imported++;
    } catch (error) {
      assert.ok(
        isBiaslabError(error),
        `case ${i} (${kind}, seed ${SEED}): ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      );
      outcomes.failed++;
    }
  }
  assert.ok(outcomes.failed > CASES / 3, `most mutations must fail: ${JSON.stringify(outcomes)}`);
  assert.ok(Date.now() - started < 5000, `fuzzing took ${Date.now() - started} ms`);
});

function mutate(source: Uint8Array, kind: string, rng: Rng, pool: readonly Uint8Array[]): Uint8Array {
  if (kind === 'truncate') return source.slice(0, rng.int(source.length));
  if (kind === 'flip') {
    const out = source.slice();
    const flips = 1 + rng.int(8);
    for (let k = 0; k < flips; k++) out[rng.int(out.length)] ^= 1 << rng.int(8);
    return out;
  }
  const donor = pool[rng.int(pool.length)];
  const from = rng.int(donor.length);
  const chunk = donor.subarray(from, from + 1 + rng.int(64));
  const at = rng.int(source.length);
  const cut = rng.int(32);
  const out = new Uint8Array(source.length + chunk.length);
  out.set(source.subarray(0, at));
  out.set(chunk, at);
  out.set(source.subarray(Math.min(source.length, at + cut)), at + chunk.length);
  return out.subarray(0, source.length + chunk.length - Math.min(cut, source.length - at));
}
