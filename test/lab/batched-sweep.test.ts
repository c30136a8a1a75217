import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '@biaslab/core';
import { BUILT_IN_PLUGINS } from '@biaslab/cli';
import { parseExperiment, resolveExperiment, runExperiment } from '@biaslab/lab';
import type { ExperimentInput } from '@biaslab/lab';

const registry = new Registry();
for (const plugin of BUILT_IN_PLUGINS) registry.use(plugin);

/** Signed diagonal network on sparse regression, plain GD, five η from slow (capped) to diverging. */
const SWEEP: ExperimentInput = {
  model: { name: 'dln', options: { parametrization: 'signed', alpha: 0.1 } },
  dataset: { name: 'sparse-regression', options: { n: 10, d: 30, k: 3, nTest: 50 } },
  metrics: ['l1', 'sharpness', 'test-error'],
  lrs: [0.002, 0.1, 0.3, 0.6, 20],
  every: 200,
  flow: { enabled: false },
  stop: { epsilon: 1e-6, patience: 5, maxSteps: 3000 },
  seed: 3,
};

/** The benchmark's shape, d > n, where onnxruntime's Gemm and MatMul round the same products differently. */
const WIDE: ExperimentInput = {
  ...SWEEP,
  model: { name: 'dln', options: { parametrization: 'signed', alpha: 0.01 } },
  dataset: { name: 'sparse-regression', options: { n: 100, d: 1000, k: 5, signs: 'random', nTest: 0 } },
  metrics: ['l1'],
  lrs: [0.01, 0.5, 0.7, 0.8],
  every: 100,
  stop: { epsilon: 1e-8, patience: 1, maxSteps: 500 },
};

interface Written {
  /** Every line of every run file, by file, with the timings left out. */
  readonly files: Record<string, Record<string, unknown>[]>;
  /** When each run's task started and ended, in order (`start id` / `end id`). */
  readonly events: string[];
}

/** Runs the experiment into a fresh directory and reads back what it wrote. */
async function written(input: ExperimentInput): Promise<Written> {
  const out = mkdtempSync(join(tmpdir(), 'biaslab-batched-'));
  try {
    const events: string[] = [];
    await runExperiment(resolveExperiment(parseExperiment(input), registry), {
      out,
      onTaskStart: (task) => events.push(`start ${task.id}`),
      onRunEnd: (row) => events.push(`end ${row.eta}`),
    });
    const files: Written['files'] = {};
    for (const file of readdirSync(join(out, 'runs')).sort()) {
      files[file] = readFileSync(join(out, 'runs', file), 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => {
          const { seconds: _seconds, ...row } = JSON.parse(line) as Record<string, unknown>;
          return row;
        });
    }
    return { files, events };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Every row of every run file equal, field by field and bit for bit (JSON keeps every bit of a double). */
function assertSameFiles(batched: Written, alone: Written, where: string): void {
  assert.deepEqual(Object.keys(batched.files), Object.keys(alone.files), where);
  for (const [file, rows] of Object.entries(alone.files)) {
    assert.equal(batched.files[file].length, rows.length, `${where}, ${file}: rows`);
    rows.forEach((row, i) => assert.deepEqual(batched.files[file][i], row, `${where}, ${file}: row ${i}`));
  }
}

for (const [name, input, statuses] of [
  ['seed 3, d = 30', SWEEP, ['capped', 'converged', 'converged', 'converged', 'diverged']],
  ['seed 3, d = 1000', WIDE, ['capped', 'converged', 'converged', 'diverged']],
  [
    'seed 3, d = 30, float32',
    { ...SWEEP, dtype: 'float32', stop: { epsilon: 1e-4, patience: 5, maxSteps: 3000 } },
    ['capped', 'converged', 'converged', 'converged', 'diverged'],
  ],
] as const) {
  test(`batched and one-run-per-group sweeps write identical files, gradNorm and capped rows included (${name})`, async () => {
    const [batched, alone] = [await written({ ...input, batch: 32 }), await written({ ...input, batch: 1 })];
    assertSameFiles(batched, alone, name);
    const finals = Object.values(alone.files).map((rows) => rows.at(-1)!);
    assert.deepEqual(
      finals.map((f) => f.status),
      statuses,
    );
    for (const rows of Object.values(alone.files)) {
      const series = rows.filter((r) => r.type === 'series');
      assert.ok(
        series.every((r) => r.gradNorm !== undefined),
        `${name}: every series row, the last one of a capped run too, has a gradNorm`,
      );
    }
  });
}

test('plain GD on a model with a batched graph is grouped, with any metrics; other optimizers run alone', async () => {
  // one slot: a group's runs all start before the first one ends; one run per task alternates start and end
  const grouped = (events: readonly string[]) => events.slice(0, 5).every((e) => e.startsWith('start'));
  const quick = { ...SWEEP, stop: { epsilon: 1e-6, patience: 5, maxSteps: 300 } };
  const inputs: [string, ExperimentInput, boolean][] = [
    ['plain GD', quick, true],
    ['a trajectory metric', { ...quick, metrics: ['l1', 'averaged-norms'] }, true],
    ['momentum', { ...quick, optimizer: { name: 'momentum', options: {} } }, false],
    [
      'GD with decay and a schedule',
      {
        ...quick,
        optimizer: {
          name: 'gd',
          options: { weightDecay: 1e-3, schedule: { kind: 'linear-warmup', warmupSteps: 5 } },
        },
      },
      false,
    ],
  ];
  for (const [what, input, groups] of inputs) {
    const [batched, alone] = [await written({ ...input, batch: 32 }), await written({ ...input, batch: 1 })];
    assert.equal(grouped(batched.events), groups, `${what}: ${batched.events.join(', ')}`);
    assert.ok(!grouped(alone.events), `${what}: batch 1 runs alone (${alone.events.join(', ')})`);
    assertSameFiles(batched, alone, what);
  }
  const mlp = await written({ ...quick, model: { name: 'mlp', options: { widths: [4] } }, batch: 32 });
  assert.ok(!grouped(mlp.events), `a model without a batched graph runs alone (${mlp.events.join(', ')})`);
});
