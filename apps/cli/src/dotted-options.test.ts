import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractDottedOptions, parseFlagValue } from './dotted-options';

test('flag values: JSON first, then comma lists of numbers, else strings', () => {
  assert.equal(parseFlagValue('0.1'), 0.1);
  assert.equal(parseFlagValue('true'), true);
  assert.deepEqual(parseFlagValue('[1,2]'), [1, 2]);
  assert.deepEqual(parseFlagValue('1,0.2'), [1, 0.2]);
  assert.deepEqual(parseFlagValue('-1, 2e-3'), [-1, 0.002]);
  assert.equal(parseFlagValue('shared'), 'shared');
  assert.equal(parseFlagValue('a,b'), 'a,b');
});

test('dotted options are taken out of argv, nested, and per metric', () => {
  const { argv, dotted } = extractDottedOptions([
    'sweep',
    '--model.alpha',
    '0.1',
    '--dataset.x=1,0.2',
    '--eta',
    '0.3',
    '--model.init.scale',
    '2',
    '--metric.sharpness.method',
    'dense',
  ]);
  assert.deepEqual(argv, ['sweep', '--eta', '0.3']);
  assert.deepEqual(dotted.model, { alpha: 0.1, init: { scale: 2 } });
  assert.deepEqual(dotted.dataset, { x: [1, 0.2] });
  assert.deepEqual(dotted.metric, { sharpness: { method: 'dense' } });
  assert.throws(() => extractDottedOptions(['--model.alpha']), { code: 'INVALID_OPTIONS' });
  assert.throws(() => extractDottedOptions(['--metric.sharpness', '1']), /--metric\.NAME\.KEY VALUE/);
});

test('prototype keys in a dotted path are refused by name and pollute nothing', () => {
  for (const argv of [
    ['--model.__proto__.polluted', '1'],
    ['--dataset.a.__proto__.polluted=1'],
    ['--optimizer.constructor.prototype.polluted', '1'],
    ['--metric.__proto__.polluted', '1'],
    ['--metric.sharpness.prototype', '1'],
  ]) {
    assert.throws(
      () => extractDottedOptions(argv),
      (e: unknown) =>
        (e as { code?: string }).code === 'INVALID_OPTIONS' &&
        /contains the key `(__proto__|constructor|prototype)`/.test((e as Error).message),
      argv.join(' '),
    );
    assert.equal(
      ({} as Record<string, unknown>).polluted,
      undefined,
      `${argv.join(' ')} polluted Object.prototype`,
    );
  }
});
