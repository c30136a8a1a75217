import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEta, lrGridValues } from './lr-grid';

test('log grid has constant ratio and exact end points; linear grid constant step', () => {
  const g = lrGridValues({ from: 0.1, to: 2.6, count: 20 });
  assert.equal(g.length, 20);
  assert.equal(g[0], 0.1);
  assert.equal(g[19], 2.6);
  const ratio = Math.pow(26, 1 / 19);
  for (let i = 1; i < g.length; i++) assert.ok(Math.abs(g[i] / g[i - 1] - ratio) < 1e-9, `ratio at ${i}`);
  assert.deepEqual(lrGridValues({ from: 1, to: 2, count: 5, spacing: 'linear' }), [1, 1.25, 1.5, 1.75, 2]);
  assert.deepEqual(lrGridValues({ from: 0.3, to: 9, count: 1 }), [0.3]);
});

test('invalid grids are refused with INVALID_CONFIG', () => {
  assert.throws(() => lrGridValues({ from: 0, to: 1, count: 3 }), { code: 'INVALID_CONFIG' });
  assert.throws(() => lrGridValues({ from: 0.1, to: 1, count: 0 }), { code: 'INVALID_CONFIG' });
});

test('formatEta is short and round-trips 6 significant digits', () => {
  assert.equal(formatEta(0.118705893546), '0.118706');
  assert.equal(formatEta(2.6), '2.6');
  assert.equal(formatEta(1e-5), '0.00001');
});
