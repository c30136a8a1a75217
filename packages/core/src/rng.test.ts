import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from './rng';

test('the same seed gives the same stream; another seed another', () => {
  const a = new Rng(42).normals(100);
  assert.deepEqual(new Rng(42).normals(100), a);
  assert.notDeepEqual(new Rng(43).normals(100), a);
});

test('uniform and normal have the right first two moments (seed 7)', () => {
  const rng = new Rng(7);
  const n = 200_000;
  let su = 0;
  let suu = 0;
  let sn = 0;
  let snn = 0;
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    assert.ok(u >= 0 && u < 1);
    su += u;
    suu += u * u;
    const z = rng.normal();
    sn += z;
    snn += z * z;
  }
  // 5-sigma bounds on the sample moments
  assert.ok(Math.abs(su / n - 0.5) < 5 * Math.sqrt(1 / 12 / n), `mean ${su / n}`);
  assert.ok(Math.abs(suu / n - su ** 2 / n ** 2 - 1 / 12) < 5e-3, `var ${suu / n}`);
  assert.ok(Math.abs(sn / n) < 5 / Math.sqrt(n), `normal mean ${sn / n}`);
  assert.ok(Math.abs(snn / n - 1) < 5 * Math.sqrt(2 / n), `normal var ${snn / n}`);
});

test('forks are deterministic, independent of draws from the parent, and distinct by label', () => {
  const parent = new Rng(5);
  const before = parent.fork('init').normals(10);
  parent.normals(1000);
  assert.deepEqual(parent.fork('init').normals(10), before);
  assert.notDeepEqual(parent.fork('data').normals(10), before);
});

test('permutation is a permutation and int stays in range', () => {
  const rng = new Rng(3);
  const p = rng.permutation(50);
  assert.deepEqual(
    [...p].sort((a, b) => a - b),
    Array.from({ length: 50 }, (_, i) => i),
  );
  for (let i = 0; i < 1000; i++) {
    const k = rng.int(7);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 7);
  }
});
