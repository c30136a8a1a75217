import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BiaslabError } from './errors';
import { ParamLayout } from './params';

const layout = new ParamLayout([
  { name: 'fc1.weight', shape: [3, 2] },
  { name: 'fc1.bias', shape: [3] },
  { name: 'frozen', shape: [2], trainable: false },
]);

test('slots are laid end to end in declaration order', () => {
  assert.equal(layout.size, 11);
  assert.deepEqual(
    layout.slots.map((s) => [s.name, s.offset, s.size]),
    [
      ['fc1.weight', 0, 6],
      ['fc1.bias', 6, 3],
      ['frozen', 9, 2],
    ],
  );
});

test('views share memory with θ', () => {
  const theta = layout.zeros();
  layout.view(theta, 'fc1.bias')[1] = 5;
  assert.equal(theta[7], 5);
});

test('pack checks names and sizes; the trainable mask marks frozen slots', () => {
  const theta = layout.pack({ 'fc1.weight': [1, 2, 3, 4, 5, 6], 'fc1.bias': [7, 8, 9], frozen: [10, 11] });
  assert.deepEqual([...theta], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual([...layout.trainableMask()], [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  assert.throws(() => layout.pack({ 'fc1.weight': [1], 'fc1.bias': [], frozen: [] }), BiaslabError);
  assert.throws(
    () => layout.view(theta, 'nope'),
    /No parameter `nope`; parameters: fc1.weight, fc1.bias, frozen/,
  );
  assert.throws(
    () =>
      new ParamLayout([
        { name: 'a', shape: [1] },
        { name: 'a', shape: [2] },
      ]),
    /declared twice/,
  );
});
