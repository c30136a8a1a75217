/**
 * Benchmark: the learning-rate sweep of issue 5 — signed diagonal network (β = u⊙u − v⊙v, α = 0.01) on
 * sparse regression (d = 1000, n = 100, 5-sparse β* with random signs), float64, full-batch GD at 24
 * log-spaced η from 1e-3 to the divergence edge, each to loss < 1e-8 or 100,000 steps — biaslab (1 and 2
 * workers) beside a NumPy and a PyTorch loop over the same data. Prints per-step µs and ratios.
 *
 *   pnpm bench sweep-dln            full workload (minutes)
 *   pnpm bench sweep-dln --quick    6 η, 5,000-step cap
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry, Rng, parseOptions } from '@biaslab/core';
import { BUILT_IN_PLUGINS } from '@biaslab/cli';
import { lrGridValues, parseExperiment, resolveExperiment, runExperiment } from '@biaslab/lab';
import { createObjective } from '@biaslab/runtime';

const PYTHON = '/usr/bin/python3';
const REPO = join(import.meta.dirname, '../..');
const quick = process.argv.includes('--quick');
const COUNT = quick ? 6 : 24;
const MAX_STEPS = quick ? 5_000 : 100_000;
const EPSILON = 1e-8;
const ALPHA = 0.01;
const DATASET = { n: 100, d: 1000, k: 5, signs: 'random', nTest: 0 } as const;

interface PeerResult {
  runs: { eta: number; status: string; steps: number; loss: number | null }[];
  seconds: number;
  steps: number;
}

const registry = new Registry();
for (const plugin of BUILT_IN_PLUGINS) registry.use(plugin);
const datasets = registry.get('dataset', 'sparse-regression');
// Exactly what the lab builds for seed 0: options through the component's schema, the seed's `dataset` stream.
const dataset = await datasets.load(parseOptions(datasets.options, DATASET, 'dataset/sparse-regression'), {
  rng: new Rng(0).fork('dataset'),
});
const work = mkdtempSync(join(tmpdir(), 'biaslab-bench-'));
const specPath = join(work, 'spec.json');
const x = Array.from({ length: DATASET.n }, (_, i) =>
  Array.from(dataset.train.x.data.subarray(i * DATASET.d, (i + 1) * DATASET.d)),
);
const y = Array.from(dataset.train.y.data);

function peer(script: string, etas: readonly number[], maxSteps: number, threads = '1'): PeerResult {
  writeFileSync(specPath, JSON.stringify({ x, y, alpha: ALPHA, etas, epsilon: EPSILON, maxSteps }));
  const env = {
    ...process.env,
    OMP_NUM_THREADS: threads,
    OPENBLAS_NUM_THREADS: threads,
    MKL_NUM_THREADS: threads,
  };
  const child = spawnSync(PYTHON, [join(import.meta.dirname, 'peers', script), specPath], {
    encoding: 'utf8',
    env,
  });
  if (child.status !== 0) throw new Error(`${script} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as PeerResult;
}

// The divergence edge: the largest η that does not diverge (NumPy bisection, 8 steps, same step cap).
let below = 1e-3;
let above = 4;
if (peer('sweep_dln_numpy.py', [above], MAX_STEPS).runs[0].status !== 'diverged')
  throw new Error('η = 4 did not diverge');
for (let i = 0; i < 8; i++) {
  const mid = Math.sqrt(below * above);
  if (peer('sweep_dln_numpy.py', [mid], MAX_STEPS).runs[0].status === 'diverged') above = mid;
  else below = mid;
}
const etas = lrGridValues({ from: 1e-3, to: Number(below.toPrecision(6)), count: COUNT });
console.log(
  `divergence edge ≈ ${below.toPrecision(4)} (diverges at ${above.toPrecision(4)}); ${COUNT} η, cap ${MAX_STEPS} steps`,
);

async function biaslab(
  workers: number,
  batch = 32,
): Promise<{
  seconds: number;
  steps: number;
  runs: { eta: number; status: string; steps: number; loss: number | null }[];
}> {
  const config = parseExperiment({
    model: { name: 'dln', options: { parametrization: 'signed', alpha: ALPHA } },
    dataset: { name: 'sparse-regression', options: DATASET },
    metrics: [],
    lrs: etas,
    every: 0,
    flow: { enabled: false },
    stop: { epsilon: EPSILON, patience: 1, maxSteps: MAX_STEPS },
    batch,
  });
  const result = await runExperiment(resolveExperiment(config, registry), {
    workers,
    worker: { script: join(REPO, 'apps/cli/src/worker.ts'), payload: { plugins: [], cwd: REPO } },
  });
  const steps = result.rows.reduce((s, r) => s + r.steps, 0);
  return {
    seconds: result.seconds,
    steps,
    runs: result.rows.map((r) => ({ eta: r.eta, status: r.status, steps: r.steps, loss: r.loss })),
  };
}

// The engine's floor: one loss+gradient session.run on this problem, alone.
const model = registry
  .get('model', 'dln')
  .create(
    { parametrization: 'signed', alpha: ALPHA },
    { inputShape: [DATASET.d], outputSize: 1, task: 'regression', dtype: 'float64', rng: new Rng(0) },
  );
const objective = await createObjective({
  model,
  loss: 'mse',
  data: dataset.train,
  dtype: 'float64',
  hvp: false,
});
const theta = Float64Array.from(model.init);
for (let i = 0; i < 200; i++) await objective.grad(theta);
const calls = 2000;
let t0 = performance.now();
for (let i = 0; i < calls; i++) await objective.grad(theta);
const gradMicros = ((performance.now() - t0) * 1000) / calls;
await objective.dispose();

const rows: [string, number, number][] = [];
const one = await biaslab(1);
rows.push(['biaslab batched, 1 worker', one.seconds, one.steps]);
const two = await biaslab(2);
rows.push(['biaslab batched, 2 workers', two.seconds, two.steps]);
const unbatched = await biaslab(2, 1);
rows.push(['biaslab per run, 2 workers', unbatched.seconds, unbatched.steps]);
// a run's numbers depend neither on the workers nor on batching: status, steps and final loss bit for bit
const same = (a: typeof one, label: string) => {
  const differing = a.runs.filter(
    (r, i) => r.status !== one.runs[i].status || r.steps !== one.runs[i].steps || r.loss !== one.runs[i].loss,
  );
  console.log(
    `batched, 1 worker vs ${label}: ${differing.length === 0 ? 'identical' : `differ at η = ${differing.map((r) => r.eta).join(', ')}`}`,
  );
};
same(two, 'batched, 2 workers');
same(unbatched, 'one run per group, 2 workers');
t0 = performance.now();
const numpy = peer('sweep_dln_numpy.py', etas, MAX_STEPS);
rows.push(['NumPy loop (1 thread)', numpy.seconds, numpy.steps]);
const torch = peer('sweep_dln_torch.py', etas, MAX_STEPS);
rows.push(['PyTorch loop (1 thread)', torch.seconds, torch.steps]);

const mismatched = one.runs.filter(
  (r, i) => r.status !== numpy.runs[i].status || Math.abs(r.steps - numpy.runs[i].steps) > 1,
);
console.log(
  `agreement with NumPy: ${one.runs.length - mismatched.length}/${one.runs.length} runs with the same status and steps (±1)` +
    (mismatched.length ? `; differ at η = ${mismatched.map((r) => r.eta).join(', ')}` : ''),
);
console.log(`one loss+gradient call of the compiled objective: ${gradMicros.toFixed(1)} µs`);
console.log('');
console.log('implementation               total s    steps   µs/step   vs NumPy   vs PyTorch');
for (const [name, seconds, steps] of rows) {
  const micro = (seconds * 1e6) / steps;
  console.log(
    `${name.padEnd(27)} ${seconds.toFixed(2).padStart(8)} ${String(steps).padStart(8)} ${micro.toFixed(1).padStart(9)} ` +
      `${(seconds / numpy.seconds).toFixed(2).padStart(9)}× ${(seconds / torch.seconds).toFixed(2).padStart(10)}×`,
  );
}
rmSync(work, { recursive: true, force: true });
