import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, parseOptions } from '@biaslab/core';
import type { Dataset } from '@biaslab/core';
import { randomTeacher, teacherStudentDataset, teacherStudentOptions } from './teacher-student';

const load = (raw: Record<string, unknown>, seed: number) =>
  teacherStudentDataset.load(parseOptions(teacherStudentOptions, raw, 'dataset/teacher-student'), {
    rng: new Rng(seed),
  }) as Dataset;

test('teacher-student: shapes, dtype, determinism and provenance', () => {
  const data = load({ n: 30, nTest: 7, d: 5, widths: [8, 6], outputs: 2 }, 3);
  assert.equal(data.task, 'regression');
  assert.deepEqual(data.train.x.shape, [30, 5]);
  assert.deepEqual(data.train.y.shape, [30, 2]);
  assert.deepEqual(data.test!.y.shape, [7, 2]);
  assert.equal(data.train.x.dtype, 'float64');
  assert.deepEqual(load({ n: 30, nTest: 7, d: 5, widths: [8, 6], outputs: 2 }, 3), data);
  assert.notDeepEqual(load({ n: 30, nTest: 7, d: 5, widths: [8, 6], outputs: 2 }, 4).train.y, data.train.y);
  assert.match(data.provenance, /teacher MLP 5-8-6-2 \(relu/);
  assert.match(data.provenance, /seed 3/);
  assert.equal(load({ nTest: 0 }, 1).test, undefined);
});

test('teacher-student: targets equal an independent evaluation of the teacher', () => {
  const seed = 9;
  const d = 4;
  const data = load({ n: 5, nTest: 0, d, widths: [3], activation: 'tanh', biases: true }, seed);
  // Rebuild the same teacher from the same stream and evaluate it with plain loops.
  const [hidden, out] = randomTeacher(new Rng(seed).fork('teacher'), [d, 3, 1], true);
  for (let s = 0; s < 5; s++) {
    const x = data.train.x.data.subarray(s * d, s * d + d);
    const h = [0, 1, 2].map((j) =>
      Math.tanh(hidden.bias[j] + [0, 1, 2, 3].reduce((a, i) => a + hidden.weight[j * d + i] * x[i], 0)),
    );
    const y = out.bias[0] + h.reduce((a, v, j) => a + out.weight[j] * v, 0);
    assert.ok(Math.abs(data.train.y.data[s] - y) < 1e-12, `sample ${s} (seed ${seed})`);
  }
  // A linear teacher: y = W x with W ~ N(0, 1/d), so Var y ≈ ‖W‖² ≈ 1 for large d.
  const lin = load({ n: 2000, nTest: 0, d: 200, widths: [], activation: 'identity' }, seed);
  const ys = Array.from(lin.train.y.data);
  const variance = ys.reduce((a, v) => a + v * v, 0) / ys.length;
  assert.ok(variance > 0.7 && variance < 1.3, `Var y = ${variance} (seed ${seed})`);
});

test('teacher-student: noise has the requested scale on train only', () => {
  const seed = 2;
  const clean = load({ n: 2000, nTest: 50, d: 3, noise: 0 }, seed);
  const noisy = load({ n: 2000, nTest: 50, d: 3, noise: 0.5 }, seed);
  assert.deepEqual(noisy.train.x, clean.train.x);
  assert.deepEqual(noisy.test, clean.test);
  let sq = 0;
  for (let i = 0; i < 2000; i++) sq += (noisy.train.y.data[i] - clean.train.y.data[i]) ** 2;
  const sd = Math.sqrt(sq / 2000);
  // 2000 draws: relative standard error of the sample std ≈ 1/√4000 ≈ 0.016.
  assert.ok(Math.abs(sd / 0.5 - 1) < 0.08, `noise std ${sd} (seed ${seed})`);
});
