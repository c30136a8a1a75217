import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBiaslabError } from '@biaslab/core';
import { increasingRoot } from './root-finding';

test('increasing root: exact roots, overflow far from the root, and a clear error when none exists', () => {
  assert.ok(
    Math.abs(
      increasingRoot(
        (x) => x ** 3 - 2,
        (x) => 3 * x * x,
        0,
        'cube',
      ) - Math.cbrt(2),
    ) < 1e-15,
  );
  // e^{50x} − 1e-200 overflows for x ≳ 14 while bracketing; the root is −log(1e200)/50
  const root = increasingRoot(
    (x) => Math.exp(50 * x) - 1e-200,
    (x) => 50 * Math.exp(50 * x),
    100,
    'exp',
  );
  assert.ok(Math.abs(root - Math.log(1e-200) / 50) < 1e-13, `root ${root}`);
  assert.throws(
    () =>
      increasingRoot(
        (x) => Math.atan(x) + 2,
        (x) => 1 / (1 + x * x),
        0,
        'atan + 2',
      ),
    (e) => isBiaslabError(e, 'INVALID_OPTIONS'),
  );
});
