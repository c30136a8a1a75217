import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyGridPoint, gridLabel, gridPoints, gridProblems } from './grid';
import { experimentPoints, parseExperiment } from './experiment';

const base = { model: 'diag', dataset: 'point', lrs: [0.1], metrics: [] };

test('grid points: the first path varies slowest; an empty grid has one empty point', () => {
  assert.deepEqual(gridPoints({ seed: [0, 1], 'model.options.alpha': [0.1, 0.2] }), [
    { seed: 0, 'model.options.alpha': 0.1 },
    { seed: 0, 'model.options.alpha': 0.2 },
    { seed: 1, 'model.options.alpha': 0.1 },
    { seed: 1, 'model.options.alpha': 0.2 },
  ]);
  assert.deepEqual(gridPoints({}), [{}]);
  assert.equal(gridLabel({ 'model.options.widths': [100], seed: 2 }), 'model.widths=[100] seed=2');
});

test('applying a point: bare component names become {name, options}; arrays of arrays are values', () => {
  const raw = { model: 'mlp', dataset: { name: 'd', options: { n: 5 } } };
  const out = applyGridPoint(raw, { 'model.options.widths': [200, 200], 'dataset.options.n': 7 });
  assert.deepEqual(out, {
    model: { name: 'mlp', options: { widths: [200, 200] } },
    dataset: { name: 'd', options: { n: 7 } },
  });
  assert.deepEqual(raw.model, 'mlp', 'input not mutated');
});

test('grid problems: empty, unknown key, not griddable, given twice, overlapping', () => {
  const keys = ['model', 'seed', 'lrs', 'stop'];
  assert.deepEqual(gridProblems({}, { seed: [0] }, keys), []);
  const problems = gridProblems(
    { seed: 3, stop: { epsilon: 1e-6 } },
    {
      seed: [0, 1],
      colour: [1],
      lrs: [[0.1]],
      'stop.epsilon': [1e-4],
      stop: [{}],
      'model.options.alpha': [],
    },
    keys,
  );
  const text = problems.join('\n');
  assert.match(text, /`seed` is given both a value and a grid/);
  assert.match(text, /`grid\.colour`: `colour` is not an experiment key/);
  assert.match(text, /`grid\.lrs`: `lrs` cannot be gridded \(learning rates are always crossed/);
  assert.match(text, /`grid\.stop` and `grid\.stop\.epsilon` overlap/);
  assert.match(text, /`grid\.model\.options\.alpha`: the grid is empty/);
});

test('parseExperiment checks the grid and every point before anything runs', () => {
  const c = parseExperiment({ ...base, grid: { seed: [0, 1, 2], 'model.options.alpha': [0.01, 0.1] } });
  const points = experimentPoints(c);
  assert.equal(points.length, 6);
  assert.deepEqual(points[4].grid, { seed: 2, 'model.options.alpha': 0.01 });
  assert.equal(points[4].config.seed, 2);
  assert.deepEqual(points[4].config.model, { name: 'diag', options: { alpha: 0.01 } });
  assert.deepEqual(points[4].config.grid, {});
  assert.throws(() => parseExperiment({ ...base, grid: { seed: [] } }), {
    code: 'INVALID_CONFIG',
    message: /`grid\.seed`: the grid is empty/,
  });
  assert.throws(
    () => parseExperiment({ ...base, seed: 4, grid: { seed: [1] } }),
    /given both a value and a grid/,
  );
  assert.throws(
    () => parseExperiment({ ...base, grid: { seed: [0, 'one'] } }, 'exp.yaml'),
    (e: Error & { code: string }) =>
      e.code === 'INVALID_CONFIG' &&
      /in `exp\.yaml` at grid point `seed="one"`/.test(e.message) &&
      /`seed`: expected number, received "one"/.test(e.message),
  );
  assert.throws(
    () => parseExperiment({ ...base, lrs: [0.1, 0] }),
    /`lrs\.1`: Too small: expected number to be >0/,
  );
  assert.throws(() => parseExperiment({ ...base, lrs: [] }), /`lrs`/);
});

test('prototype keys in grid paths are refused by name and pollute nothing', () => {
  const polluted = () => ({}) as Record<string, unknown>;
  for (const path of ['model.__proto__.polluted', 'model.options.constructor.prototype.polluted']) {
    assert.throws(
      () => applyGridPoint({ model: { name: 'diag', options: {} } }, { [path]: 1 }),
      (e: Error & { code: string }) =>
        e.code === 'INVALID_CONFIG' && /contains the key `(__proto__|constructor)`/.test(e.message),
      path,
    );
    assert.equal(polluted().polluted, undefined, `${path} polluted Object.prototype`);
    assert.match(
      gridProblems({}, { [path]: [1] }, ['model']).join('\n'),
      /the key `(__proto__|constructor)` is refused/,
    );
    assert.throws(() => parseExperiment({ ...base, grid: { [path]: [1] } }), {
      code: 'INVALID_CONFIG',
      message: /is refused/,
    });
    assert.equal(polluted().polluted, undefined, `${path} polluted Object.prototype`);
  }
});
