import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Rng, isBiaslabError, parseOptions } from '@biaslab/core';
import { csvDataset, csvOptions } from './csv-dataset';
import { parseCsv } from './csv-format';
import { npyDataset, npyOptions } from './npy-dataset';
import { parseNpy } from './npy-format';
import { npyBytes, tempDir } from './test-files';

const load = (raw: Record<string, unknown>) =>
  Promise.resolve().then(() =>
    csvDataset.load(parseOptions(csvOptions, raw, 'dataset/csv'), { rng: new Rng(0) }),
  );

test('csv: quoted fields, CRLF and blank lines', () => {
  const table = parseCsv('a,"b ""q""",c\r\n1,"2,5",3\n\n4,5,6\n', 't.csv');
  assert.deepEqual(table.header, ['a', 'b "q"', 'c']);
  assert.deepEqual(table.rows, [
    ['1', '2,5', '3'],
    ['4', '5', '6'],
  ]);
  assert.throws(
    () => parseCsv('a,b\n1,2,3\n', 'w.csv'),
    (e: unknown) =>
      isBiaslabError(e, 'DATA') && /w\.csv.*line 2 has 3 fields, the header has 2/.test((e as Error).message),
  );
  assert.throws(
    () => parseCsv('a,b\n"1,2\n', 'q.csv'),
    (e: unknown) => isBiaslabError(e, 'DATA') && /never closed/.test((e as Error).message),
  );
});

test('csv dataset: target columns by name or index, regression and classification', async () => {
  const dir = tempDir();
  const train = join(dir, 'train.csv');
  const test = join(dir, 'test.csv.gz');
  writeFileSync(train, 'x1,x2,y,kind\n1,2,3,cat\n4,5,6,dog\n7,8,9,cat\n');
  writeFileSync(test, gzipSync('x1,x2,y,kind\n10,11,12,dog\n'));
  const cls = await load({
    path: train,
    testPath: test,
    target: 'kind',
    task: 'classification',
    standardize: 'per-feature',
  });
  assert.equal(cls.task, 'classification');
  assert.deepEqual(cls.inputShape, [3]);
  assert.equal(cls.outputSize, 2);
  assert.deepEqual([...cls.train.labels!], [0, 1, 0]);
  assert.deepEqual([...cls.test!.labels!], [1]);
  // Column x1 = 1, 4, 7: μ = 4, σ = √6; the test value 10 maps to 6/√6 with the training statistics.
  assert.ok(Math.abs(cls.train.x.data[0] - -3 / Math.sqrt(6)) < 1e-12);
  assert.ok(Math.abs(cls.test!.x.data[0] - 6 / Math.sqrt(6)) < 1e-12);
  assert.match(cls.provenance, /classes \[cat, dog\]/);
  assert.match(cls.provenance, /train\.csv sha256:[0-9a-f]{64}, .*test\.csv\.gz sha256:/);

  const numeric = join(dir, 'numeric.csv');
  writeFileSync(numeric, 'a,b,c,d\n1,2,3,4\n5,6,7,8\n');
  const reg = await load({ path: numeric, target: ['d', 0] });
  assert.equal(reg.task, 'regression');
  assert.equal(reg.outputSize, 2);
  assert.deepEqual([...reg.train.x.data], [2, 3, 6, 7]);
  assert.deepEqual([...reg.train.y.data], [4, 1, 8, 5]);
  assert.equal(reg.train.x.dtype, 'float64');
  const last = await load({ path: numeric });
  assert.deepEqual([...last.train.y.data], [4, 8]);
  assert.deepEqual(last.train.y.shape, [2, 1]);
  const classLabels = await load({ path: numeric, task: 'classification', target: 2 });
  assert.deepEqual([...classLabels.train.labels!], [0, 1]);
});

test('csv dataset: unknown columns and non-numeric inputs are DATA errors naming the file', async () => {
  const dir = tempDir();
  const file = join(dir, 'bad.csv');
  writeFileSync(file, 'x,y\n1,2\nabc,3\n');
  await assert.rejects(
    load({ path: file }),
    (e: unknown) =>
      isBiaslabError(e, 'DATA') &&
      (e as Error).message.includes(file) &&
      /row 2, column `x` is `abc`, expected a finite number/.test((e as Error).message),
  );
  await assert.rejects(
    load({ path: file, target: 'z' }),
    (e: unknown) =>
      isBiaslabError(e, 'DATA') && /no column `z`; the header is `x,y`/.test((e as Error).message),
  );
  await assert.rejects(
    load({ path: file, target: ['x', 'y'], task: 'classification' }),
    (e: unknown) => isBiaslabError(e, 'DATA') || isBiaslabError(e, 'INVALID_OPTIONS'),
  );
  await assert.rejects(
    load({ path: join(dir, 'none.csv') }),
    (e: unknown) => isBiaslabError(e, 'DATA') && /could not be read/.test((e as Error).message),
  );
});

const dataError =
  (pattern: RegExp, file = '') =>
  (e: unknown) =>
    isBiaslabError(e, 'DATA') && (e as Error).message.includes(file) && pattern.test((e as Error).message);

test('npy: versions 1, 2, 3 and dtypes f4, f8, i4, i8, u1 in C order', () => {
  const values = [1.5, -2, 3.25, 0, 7, -8];
  for (const version of [1, 2, 3]) {
    for (const descr of ['<f4', '<f8', '<i4', '<i8']) {
      const ints = descr.includes('i');
      const expected = ints ? values.map(Math.trunc) : values;
      const array = parseNpy(npyBytes(descr, [2, 3], expected, version), 'a.npy');
      assert.deepEqual(array.shape, [2, 3], `${descr} v${version}`);
      assert.deepEqual([...array.values], expected, `${descr} v${version}`);
    }
  }
  assert.deepEqual([...parseNpy(npyBytes('|u1', [4], [0, 1, 200, 255]), 'u.npy').values], [0, 1, 200, 255]);
  assert.deepEqual(parseNpy(npyBytes('<f8', [3], [1, 2, 3]), 'v.npy').shape, [3]);
});

test('npy: unsupported or damaged files are DATA errors naming the file and the problem', () => {
  assert.throws(
    () => parseNpy(npyBytes('>f8', [2], [1, 2]), 'be.npy'),
    dataError(/element type `>f8` is not supported/, 'be.npy'),
  );
  assert.throws(
    () => parseNpy(npyBytes('<f8', [2, 2], [1, 2, 3, 4], 1, true), 'f.npy'),
    dataError(/Fortran order, expected C order/, 'f.npy'),
  );
  const good = npyBytes('<f8', [2, 3], [1, 2, 3, 4, 5, 6]);
  assert.throws(
    () => parseNpy(good.subarray(0, good.length - 8), 't.npy'),
    dataError(/needs 48 data bytes, received 40 \(the file is truncated\)/, 't.npy'),
  );
  assert.throws(
    () => parseNpy(Buffer.from('hello world, not numpy'), 'n.npy'),
    dataError(/magic string/, 'n.npy'),
  );
  assert.throws(() => parseNpy(good.subarray(0, 40), 'h.npy'), dataError(/header says \d+ bytes/, 'h.npy'));
});

test('npy dataset: regression and classification, test split standardised with training statistics', async () => {
  const dir = tempDir();
  const rng = new Rng(4);
  const x = Array.from({ length: 6 * 4 }, () => rng.normal() * 3 + 1);
  const xt = Array.from({ length: 3 * 4 }, () => rng.normal() * 3 + 1);
  writeFileSync(join(dir, 'x.npy'), npyBytes('<f4', [6, 2, 2], x));
  writeFileSync(join(dir, 'xt.npy'), npyBytes('<f8', [3, 2, 2], xt));
  writeFileSync(join(dir, 'y.npy'), npyBytes('<i8', [6], [0, 2, 1, 2, 0, 1]));
  writeFileSync(join(dir, 'yt.npy'), npyBytes('|u1', [3], [1, 0, 2]));
  writeFileSync(join(dir, 'yr.npy'), npyBytes('<f8', [6, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
  const options = (raw: Record<string, unknown>) => parseOptions(npyOptions, raw, 'dataset/npy');
  const cls = await npyDataset.load(
    options({
      x: join(dir, 'x.npy'),
      y: join(dir, 'y.npy'),
      testX: join(dir, 'xt.npy'),
      testY: join(dir, 'yt.npy'),
      task: 'classification',
      standardize: 'per-feature',
    }),
    { rng: new Rng(0) },
  );
  assert.equal(cls.task, 'classification');
  assert.equal(cls.outputSize, 3);
  assert.deepEqual(cls.inputShape, [4]);
  assert.deepEqual([...cls.train.labels!], [0, 2, 1, 2, 0, 1]);
  assert.deepEqual([...cls.train.y.data.subarray(3, 6)], [0, 0, 1]);
  const x32 = x.map(Math.fround);
  for (let f = 0; f < 4; f++) {
    const column = [0, 1, 2, 3, 4, 5].map((s) => x32[s * 4 + f]);
    const mu = column.reduce((a, b) => a + b, 0) / 6;
    const sd = Math.sqrt(column.reduce((a, b) => a + (b - mu) ** 2, 0) / 6);
    assert.ok(Math.abs(cls.train.x.data[4 + f] - (x32[4 + f] - mu) / sd) < 1e-12, `feature ${f}`);
    assert.ok(
      Math.abs(cls.test!.x.data[f] - (xt[f] - mu) / sd) < 1e-12,
      `test feature ${f} uses training μ, σ`,
    );
  }
  const reg = await npyDataset.load(
    options({ x: join(dir, 'x.npy'), y: join(dir, 'yr.npy'), flatten: false, dtype: 'float32' }),
    { rng: new Rng(0) },
  );
  assert.equal(reg.task, 'regression');
  assert.equal(reg.outputSize, 2);
  assert.deepEqual(reg.train.x.shape, [6, 2, 2]);
  assert.ok(reg.train.y.data instanceof Float32Array);
  assert.deepEqual([...reg.train.y.data], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.match(reg.provenance, /x\.npy \(<f4, shape \(6, 2, 2\)\) sha256:[0-9a-f]{64}/);
  await assert.rejects(
    Promise.resolve().then(() =>
      npyDataset.load(options({ x: join(dir, 'x.npy'), y: join(dir, 'yt.npy') }), { rng: new Rng(0) }),
    ),
    dataError(/targets have shape \(3\), expected \(6\[, k\]\)/, 'yt.npy'),
  );
  assert.throws(
    () => options({ x: 'a', y: 'b', testX: 'c' }),
    (e: unknown) => isBiaslabError(e, 'INVALID_OPTIONS'),
  );
});
