import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isBiaslabError } from '@biaslab/core';
import { defineOp } from './op-definition';
import { OPS, opSet } from './op-registry';
import * as registered from './ops/index';

const OPS_DIR = fileURLToPath(new URL('./ops/', import.meta.url));

test('every file in src/ops/ is registered under its op name, and every registration is a definition', () => {
  const files = readdirSync(OPS_DIR)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => f.slice(0, -3))
    .sort();
  const names = Object.keys(registered).sort();
  assert.deepEqual(
    names,
    files,
    'src/ops/index.ts must export one definition per file, named after the file',
  );
  for (const [name, definition] of Object.entries(registered)) {
    assert.equal(definition.op, name, `\`${name}\` in src/ops/index.ts defines \`${definition.op}\``);
    assert.ok(Array.isArray(definition.vjp), `\`${name}\` is not an op definition`);
  }
  assert.deepEqual(
    OPS.definitions.map((d) => d.op),
    files,
  );
});

test('a differentiable op can be typed, and float64 lowerings and kernel conditions come with a reason', () => {
  for (const d of OPS.definitions) {
    if (d.vjp.length) assert.ok(d.shape, `\`${d.op}\` has a VJP rule but no shape rule`);
    for (const rule of d.vjp) assert.equal(rule.op, d.op, `a VJP rule of \`${d.op}\` names \`${rule.op}\``);
    if (d.float64) assert.ok(d.float64.reason.length > 10, `\`${d.op}\`: the float64 reason says nothing`);
  }
});

test('lookups: default domain only, shape rules by op, one definition per op', () => {
  assert.equal(OPS.get('Tanh')?.op, 'Tanh');
  assert.equal(OPS.get('Tanh', 'ai.onnx')?.op, 'Tanh');
  assert.equal(OPS.get('Tanh', 'com.microsoft'), undefined);
  assert.equal(OPS.get('Hardmax'), undefined);
  assert.equal(OPS.shapeRule('MatMul'), OPS.get('MatMul')!.shape);
  assert.equal(OPS.shapeRule('OneHot'), undefined, 'OneHot is known for its float64 status only');
  assert.throws(
    () => opSet([defineOp({ op: 'Tanh' }), defineOp({ op: 'Tanh' })]),
    (e: unknown) => isBiaslabError(e, 'INTERNAL') && /`Tanh` is defined twice/.test((e as Error).message),
  );
});
