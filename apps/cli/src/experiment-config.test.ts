import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGridFlag } from './experiment-config';

test('--grid refuses prototype keys in its path, so nothing is deleted from Object.prototype', () => {
  assert.throws(() => parseGridFlag('model.__proto__.hasOwnProperty=1,2'), {
    code: 'INVALID_OPTIONS',
    message: /`grid\.model\.__proto__\.hasOwnProperty` contains the key `__proto__`/,
  });
  assert.equal(typeof Object.prototype.hasOwnProperty, 'function');
  assert.deepEqual(parseGridFlag('model.options.alpha=0.1,1'), ['model.options.alpha', [0.1, 1]]);
});
