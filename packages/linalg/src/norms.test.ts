import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import { l1Norm, l1NormOfParts, l2Norm, l2NormOfParts, l2NormTwoPass } from './norms';

test('ℓ1 and ℓ2 norms of a vector and of its parts agree and match the definitions', () => {
  assert.equal(l1Norm([3, -4]), 7);
  assert.equal(l2Norm([3, -4]), 5);
  assert.equal(l2NormTwoPass([3, -4]), 5);
  const seed = 3;
  const x = new Rng(seed).normals(101);
  const parts = [x.subarray(0, 40), x.subarray(40, 41), x.subarray(41)];
  assert.equal(l1NormOfParts(parts), l1Norm(x), `seed ${seed}`);
  assert.equal(l2NormOfParts(parts), l2Norm(x), `seed ${seed}`);
  let ssq = 0;
  for (const v of x) ssq += v * v;
  for (const norm of [l2Norm(x), l2NormTwoPass(x)]) {
    assert.ok(Math.abs(norm - Math.sqrt(ssq)) <= 4 * Number.EPSILON * norm, `seed ${seed}: ${norm}`);
  }
  assert.equal(l1Norm([]), 0);
  assert.equal(l2Norm(new Float64Array(3)), 0);
  assert.equal(l2NormTwoPass(new Float64Array(3)), 0);
});

test('ℓ2 norms neither overflow nor underflow, and pass NaN and ∞ through', () => {
  for (const norm of [l2Norm, l2NormTwoPass]) {
    const close = (a: number, b: number) => Math.abs(a - b) <= 4 * Number.EPSILON * b;
    assert.ok(close(norm([3e200, 4e200]), 5e200), `${norm([3e200, 4e200])}`);
    assert.ok(close(norm([3e-200, -4e-200]), 5e-200), `${norm([3e-200, -4e-200])}`);
    assert.ok(Number.isNaN(norm([1, Number.NaN, 2])));
    assert.equal(norm([1, Number.POSITIVE_INFINITY, 2]), Number.POSITIVE_INFINITY);
    assert.equal(norm([Number.NEGATIVE_INFINITY, 1, Number.POSITIVE_INFINITY]), Number.POSITIVE_INFINITY);
  }
});
