import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNumber, formatSignificant } from './format-number';

test('formatNumber: 4 significant digits, scientific outside [1e-3, 1e5)', () => {
  const cases: [number | null | undefined, number | undefined, string][] = [
    [0.50212345, undefined, '0.5021'],
    [3.98312, undefined, '3.983'],
    [20, undefined, '20'],
    [0, undefined, '0'],
    [-0, undefined, '0'],
    [0.001, undefined, '0.001'],
    [0.00099999, undefined, '1e-3'],
    [1.23e-8, undefined, '1.23e-8'],
    [6.16e-33, 3, '6.16e-33'],
    [1.19e10, 3, '1.19e+10'],
    [4237234.5, 3, '4.24e+6'],
    [1e9, undefined, '1e+9'],
    [1.5e9, undefined, '1.5e+9'],
    [99999.5, undefined, '100000'],
    [12345, undefined, '12350'],
    [123456, undefined, '1.235e+5'],
    [2.5e7, undefined, '2.5e+7'],
    [-2.0345e7, undefined, '-2.035e+7'],
    [0.9313, 3, '0.931'],
    [null, undefined, '—'],
    [undefined, undefined, '—'],
    [Number.NaN, undefined, '—'],
    [Number.POSITIVE_INFINITY, undefined, '∞'],
    [Number.NEGATIVE_INFINITY, undefined, '−∞'],
  ];
  for (const [x, digits, expected] of cases)
    assert.equal(formatNumber(x, digits), expected, `${x} (${digits})`);
});

test('formatNumber with exactIntegers: counts below 1e7 in full, everything else as without it', () => {
  const exact = (x: number) => formatNumber(x, 4, { exactIntegers: true });
  assert.equal(exact(11669), '11669');
  assert.equal(exact(2543934), '2543934');
  assert.equal(exact(-20000), '-20000');
  assert.equal(exact(1e7), '1e+7');
  assert.equal(exact(11669.5), '11670');
  assert.equal(exact(0.5021), '0.5021');
});

test('formatSignificant: the shortest JavaScript text of the rounded number (stored in files, never changes)', () => {
  assert.equal(formatSignificant(6.593120795453035e-5, 4), '0.00006593');
  assert.equal(formatSignificant(0.0248045702759, 6), '0.0248046');
  assert.equal(formatSignificant(1e-7, 6), '1e-7');
  assert.equal(formatSignificant(1.19e21, 4), '1.19e+21');
  assert.equal(formatSignificant(293.20969, 6), '293.21');
});
