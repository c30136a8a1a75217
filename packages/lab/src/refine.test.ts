import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bisectEta, divergenceBracket, etaCNeighbours, roundEta } from './refine';

test('points around η_c are log-symmetric, rounded, and skip η already in the grid', () => {
  const etas = etaCNeighbours(0.5, 3, 0.25, [0.4]);
  // η_c/(1.25) = 0.4 is taken; η_c and 1.25·η_c remain.
  assert.deepEqual(etas, [0.5, 0.625]);
  assert.deepEqual(etaCNeighbours(0.502123456789, 1, 0.25, []), [0.502123]);
  const five = etaCNeighbours(1, 5, 0.21, []);
  for (let j = 0; j < 5; j++) assert.ok(Math.abs(five[j] * five[4 - j] - 1) < 1e-5, `symmetric pair ${j}`);
  assert.deepEqual(etaCNeighbours(Number.NaN, 3, 0.25, []), []);
});

test('the edge bracket: largest survivor below the smallest diverged η; bisection by geometric mean', () => {
  const outcomes = [
    { eta: 0.1, status: 'converged' as const },
    { eta: 0.9, status: 'capped' as const },
    { eta: 1.1, status: 'diverged' as const },
    { eta: 2, status: 'converged' as const },
    { eta: 3, status: 'diverged' as const },
  ];
  assert.deepEqual(divergenceBracket(outcomes), { below: 0.9, above: 1.1 });
  assert.equal(divergenceBracket(outcomes.filter((o) => o.status !== 'diverged')), undefined);
  assert.equal(divergenceBracket([{ eta: 1, status: 'diverged' }]), undefined);
  assert.equal(bisectEta({ below: 1, above: 4 }), 2);
  assert.equal(bisectEta({ below: 1, above: 1.000001 }), undefined, 'rounding cannot split it');
  assert.equal(roundEta(0.1234567891), 0.123457);
});
