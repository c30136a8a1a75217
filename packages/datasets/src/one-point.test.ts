import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError, parseOptions } from '@biaslab/core';
import type { Dataset } from '@biaslab/core';
import { onePointDataset, onePointOptions } from './one-point';

const WHERE = 'dataset/one-point';

function load(raw: unknown): Dataset {
  return onePointDataset.load(parseOptions(onePointOptions, raw, WHERE), { rng: new Rng(0) }) as Dataset;
}

test('one-point options: the defaults are x = [1, 0.2], y = 1, β* = [0.7, 1.5]', () => {
  assert.deepEqual(parseOptions(onePointOptions, {}, WHERE), { x: [1, 0.2], y: 1, betaStar: [0.7, 1.5] });
});

test('one-point options: unknown keys, wrong types, non-finite numbers and length mismatches are rejected', () => {
  const bad: unknown[] = [
    { z: 1 },
    { x: [] },
    { x: 'a' },
    { x: [1, Number.NaN], betaStar: [1, 1] },
    { x: [1, Number.POSITIVE_INFINITY], betaStar: [1, 1] },
    { y: Number.NaN },
    { y: 'one' },
    { x: [1, 2, 3] },
    { betaStar: [1] },
  ];
  for (const raw of bad) {
    assert.throws(
      () => parseOptions(onePointOptions, raw, WHERE),
      (e: unknown) => isBiaslabError(e, 'INVALID_OPTIONS'),
      `options ${String(JSON.stringify(raw))} should be rejected`,
    );
  }
  assert.throws(
    () => parseOptions(onePointOptions, { x: [1, 2, 3] }, WHERE),
    (e: unknown) =>
      /betaStar/.test((e as Error).message) && /as many entries as `x`/.test((e as Error).message),
  );
});

test('one-point: the default dataset', () => {
  const data = load({});
  assert.equal(data.task, 'regression');
  assert.deepEqual(data.inputShape, [2]);
  assert.equal(data.outputSize, 1);
  assert.deepEqual(data.train.x, { dtype: 'float64', shape: [1, 2], data: Float64Array.of(1, 0.2) });
  assert.deepEqual(data.train.y, { dtype: 'float64', shape: [1, 1], data: Float64Array.of(1) });
  assert.deepEqual(data.betaStar, Float64Array.of(0.7, 1.5));
  assert.equal(data.test, undefined);
  assert.match(data.provenance, /x = \[1, 0\.2\], y = 1, β\* = \[0\.7, 1\.5\]/);
});

test('one-point: a custom point of any dimension', () => {
  const data = load({ x: [3, 1, 0.5], y: -2, betaStar: [0, 1, 0] });
  assert.deepEqual(data.inputShape, [3]);
  assert.deepEqual(data.train.x.shape, [1, 3]);
  assert.deepEqual([...data.train.x.data], [3, 1, 0.5]);
  assert.deepEqual([...data.train.y.data], [-2]);
  assert.deepEqual([...data.betaStar!], [0, 1, 0]);
});
