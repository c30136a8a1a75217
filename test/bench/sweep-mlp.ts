/**
 * Benchmark: the MLP sweep of issue 5 — MLP 784-200-200-10 tanh, MSE on one-hot targets
 * (L(θ) = (1/n) Σᵢ ½‖f(xᵢ) − yᵢ‖²), the first 5,000 Fashion-MNIST training images, float32, θ₀ from the seed —
 * biaslab beside a PyTorch + SciPy peer (`peers/sweep_mlp_torch.py`) that gets the very same x, y and θ₀ as raw
 * little-endian float32 files. Three measurements, each printed as biaslab time, peer time, ratio (biaslab ÷ peer):
 *
 * 1. One full-batch GD step θ ← θ − η∇L(θ): biaslab `createObjective` (2 onnxruntime threads) `grad` plus the
 *    update in JS; the peer a plain torch forward + backward + in-place update. Median over alternating repetitions
 *    after warm-up; the ratio is the median of the paired per-repetition ratios.
 * 2. Sharpness along a run: GD at η = 0.05 for T steps, the top Hessian eigenvalue at steps 0, 20, 40, … and T.
 *    biaslab: the registry's `metric/sharpness` (Lanczos with full reorthogonalisation, warm-started from the previous
 *    eigenvector kept in the run's metric `memory`) over the objective's HVPs. Peer: `scipy.sparse.linalg.eigsh` of a
 *    `LinearOperator` whose matvec is a double-backward HVP, k = 1, which = 'LM', from a fresh random start each time.
 *    biaslab stops at relative residual `tol` (residual ≤ tol·|λ|; Lanczos's own residual estimate, `residual:
 *    'estimate'`, so no product is spent on checking it); the peer at `peer-tol`, by default eigsh's own default 0
 *    (machine precision), as a user calls it. Each evaluation is timed on both sides alternately; the largest relative
 *    difference of the two sides' S at the same steps is the "equal accuracy" check (a Ritz value's error is of the
 *    order of the squared residual, so tol = 1e-4 already gives S to ~1e-8). eigsh's default Krylov size (ncv = 20)
 *    puts a floor of 20 HVPs under the peer at any tolerance.
 * 3. A log-spaced learning-rate sweep (0.01 … 0.3), T steps each, sharpness every 20 steps and at the end: biaslab
 *    `runExperiment` with the default worker count of the machine (forked workers run `apps/cli/src/worker.ts`), flow
 *    off, ε = 1e-12 so every run goes the full T steps unless it diverges; the peer a Python loop over the same η with
 *    the same divergence rule (loss non-finite or above 1e6·max(L(θ₀), 1)). biaslab's wall time includes loading the
 *    data and compiling the sessions in every worker; the peer's is its loop alone (data already in memory).
 *
 * Threads: onnxruntime gets 2 intra-op threads in 1 and 2, and 1 thread per worker in 3; the peer runs with
 * OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = 2 (OpenBLAS does the matmuls) and 1 torch intra-op thread, the fastest
 * setting on 2 cores. A pause (`--settle` ms) precedes every timed call so one side's spinning threads do not
 * take the other side's cores.
 *
 *   pnpm bench sweep-mlp            T = 60, 12 learning rates
 *   pnpm bench sweep-mlp --quick    T = 40, 3 learning rates
 *   options: --tol=1e-4 (biaslab's eigensolver tolerance) --peer-tol=0 (eigsh's) --reps=20 (GD-step repetitions)
 *            --settle=50 (ms)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry, Rng, createMetricMemory, parseOptions } from '@biaslab/core';
import type { MetricContext } from '@biaslab/core';
import { BUILT_IN_PLUGINS } from '@biaslab/cli';
import {
  defaultDivergenceBound,
  defaultWorkers,
  lrGridValues,
  parseExperiment,
  prepareExperiment,
  resolveExperiment,
  runExperiment,
} from '@biaslab/lab';
import { createObjective } from '@biaslab/runtime';
import { PythonPeer } from './_python-peer';

const args = process.argv.slice(2);
/** `--name=value` (the form `pnpm bench` passes on) or `--name value` (direct runs); a positive number. */
const arg = (name: string, fallback: number): number => {
  const joined = args.find((a) => a.startsWith(`--${name}=`));
  const i = args.indexOf(`--${name}`);
  const text = joined ? joined.slice(name.length + 3) : i >= 0 ? args[i + 1] : String(fallback);
  const value = Number(text);
  if (!(value > 0)) throw new Error(`\`--${name}\` must be a positive number, received \`${text}\``);
  return value;
};
const quick = args.includes('--quick');
const T = quick ? 40 : 60;
const COUNT = quick ? 3 : 12;
const EVERY = 20;
const ETA = 0.05;
const TOL = arg('tol', 1e-4);
const PEER_TOL = (() => {
  const given = args.find((a) => a.startsWith('--peer-tol='));
  const value = given ? Number(given.slice('--peer-tol='.length)) : 0;
  if (!(value >= 0)) throw new Error(`\`--peer-tol\` must be a number ≥ 0, received \`${given}\``);
  return value;
})();
const REPS = arg('reps', 20);
const WARMUP = 3;
const SETTLE_MS = arg('settle', 50);
const SEED = 0;
const THREADS = 2;
const N = 5000;
const REPO = join(import.meta.dirname, '../..');
const PEER = join(import.meta.dirname, 'peers/sweep_mlp_torch.py');
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
const median = (a: readonly number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];

const etas = lrGridValues({ from: 0.01, to: 0.3, count: COUNT });
const registry = new Registry();
for (const plugin of BUILT_IN_PLUGINS) registry.use(plugin);
const sharpnessOptions = { method: 'lanczos', tol: TOL, residual: 'estimate' } as const;
const config = parseExperiment({
  model: { name: 'mlp', options: { widths: [200, 200], activation: 'tanh' } },
  dataset: { name: 'fashion-mnist', options: { train: N, testSize: 0 } },
  loss: 'mse',
  dtype: 'float32',
  seed: SEED,
  metrics: [{ name: 'sharpness', options: sharpnessOptions }],
  lrs: etas,
  every: EVERY,
  flow: { enabled: false },
  stop: { epsilon: 1e-12, patience: 1, maxSteps: T },
});
const resolved = resolveExperiment(config, registry);
// Data, model and θ₀ exactly as the lab builds them for this seed; the objective on THREADS threads.
const prepared = await prepareExperiment(resolved.points[0], (options) =>
  createObjective({ ...options, threads: THREADS }),
);
const { dataset, model, theta0, train } = prepared;
const layout = model.layout;

/** The peer process, answering one JSON line per request line (after a JSON `ready` line). */
async function startPeer(spec: string) {
  const started = await PythonPeer.start(PEER, [spec], THREADS);
  if ('failure' in started) throw new Error(`the PyTorch peer did not start: ${started.failure}`);
  const { peer } = started;
  const ready = JSON.parse(started.ready) as { torchThreads: number; torch: string };
  const ask = async <R>(request: string): Promise<R> => {
    const answer = JSON.parse(await peer.ask(request)) as R & { error?: string };
    if (answer.error) throw new Error(answer.error);
    return answer;
  };
  return { peer: { ask, stop: () => peer.stop() }, ...ready };
}

// The peer's inputs: raw little-endian float32 files and a JSON spec.
const work = mkdtempSync(join(tmpdir(), 'biaslab-bench-mlp-'));
const raw = (name: string, values: ArrayLike<number>) => {
  const path = join(work, name);
  writeFileSync(path, Buffer.from(Float32Array.from(values).buffer));
  return path;
};
const specPath = join(work, 'spec.json');
writeFileSync(
  specPath,
  JSON.stringify({
    n: N,
    inputs: dataset.train.x.shape.slice(1).reduce((p, q) => p * q, 1),
    outputs: dataset.outputSize,
    params: layout.slots.map((s) => ({ name: s.name, shape: s.shape })),
    x: raw('x.f32', dataset.train.x.data),
    y: raw('y.f32', dataset.train.y.data),
    theta0: raw('theta0.f32', theta0),
    torchThreads: 1,
  }),
);
const { peer, torchThreads, torch } = await startPeer(specPath);
const loss0 = await train.loss(theta0);

console.log(
  `MLP 784-200-200-10 tanh, MSE on one-hot targets, Fashion-MNIST first ${dataset.train.x.shape[0]} training images, ` +
    `float32, ${layout.size} parameters, seed ${SEED} (θ₀ and data), L(θ₀) = ${loss0.toPrecision(6)}`,
);
console.log(
  `T = ${T} steps, sharpness every ${EVERY} steps and at the end, tol = ${TOL} (eigsh: ${PEER_TOL}), η = ${ETA} for measurement 2, ` +
    `${COUNT} η in the sweep: ${etas.map((e) => e.toPrecision(3)).join(', ')}`,
);
console.log(
  `machine: ${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; onnxruntime: ${THREADS} intra-op threads (1, 2), ${defaultWorkers()} workers × 1 thread ` +
    `(3); torch ${torch}: ${torchThreads} intra-op thread(s), OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = ${THREADS}`,
);

type Row = [name: string, biaslab: number, peer: number, ratio: number, target: string];
const rows: Row[] = [];

// ── 1. one full-batch GD step ─────────────────────────────────────────────────────────────────────
let theta = Float64Array.from(theta0);
const ours: number[] = [];
const theirs: number[] = [];
for (let i = 0; i < WARMUP + REPS; i++) {
  await settle();
  const start = performance.now();
  const { grad } = await train.grad(theta);
  // θ ← θ − η ∇L(θ)
  const next = new Float64Array(theta.length);
  for (let j = 0; j < next.length; j++) next[j] = theta[j] - ETA * grad[j];
  theta = next;
  const mine = performance.now() - start;
  await settle();
  const { ms } = await peer.ask<{ ms: number }>(`step ${ETA}`);
  if (i >= WARMUP) (ours.push(mine), theirs.push(ms));
}
const stepRatio = median(ours.map((t, i) => t / theirs[i]));
console.log(
  `\n1. GD step: biaslab ${median(ours).toFixed(1)} ms, peer ${median(theirs).toFixed(1)} ms ` +
    `(medians of ${REPS}), ratio ${stepRatio.toFixed(2)} (median of paired ratios)`,
);
rows.push(['GD step (ms)', median(ours), median(theirs), stepRatio, '≤ 1.0']);

// ── 2. sharpness along a run at η = ETA ───────────────────────────────────────────────────────────
const sharpness = registry.get('metric', 'sharpness');
const metric = sharpness.create(parseOptions(sharpness.options, sharpnessOptions, 'metric/sharpness'));
const memory = createMetricMemory();
const metricRng = new Rng(SEED).fork('metrics').fork('bench');
theta = Float64Array.from(theta0);
await peer.ask('reset');
let oursSeconds = 0;
let theirsSeconds = 0;
const oursHvps: number[] = [];
const theirsHvps: number[] = [];
let worst = 0;
console.log(`\n2. sharpness along a run, η = ${ETA}, tol = ${TOL} (eigsh: ${PEER_TOL})`);
console.log('   step   S biaslab    S peer        rel. diff   HVPs b/p   ms biaslab   ms peer');
for (let step = 0; step <= T; step++) {
  if (step % EVERY === 0 || step === T) {
    const context: MetricContext = {
      theta,
      layout,
      model,
      dataset,
      train,
      eta: ETA,
      step,
      rng: metricRng,
      memory,
    };
    await settle();
    const start = performance.now();
    const values = await metric.compute(context);
    const mine = performance.now() - start;
    await settle();
    const other = await peer.ask<{ ms: number; lambda: number; hvps: number }>(
      `sharpness ${PEER_TOL} ${step}`,
    );
    const s = values.sharpness;
    const diff = Math.abs(s - Math.abs(other.lambda)) / Math.abs(other.lambda);
    worst = Math.max(worst, diff);
    oursSeconds += mine / 1000;
    theirsSeconds += other.ms / 1000;
    oursHvps.push(values['sharpness.hvps']);
    theirsHvps.push(other.hvps);
    console.log(
      `   ${String(step).padStart(4)}   ${s.toPrecision(7).padEnd(11)} ${Math.abs(other.lambda).toPrecision(7).padEnd(11)}   ` +
        `${diff.toExponential(1).padEnd(9)}   ${`${values['sharpness.hvps']}/${other.hvps}`.padEnd(8)}   ` +
        `${mine.toFixed(0).padStart(10)}   ${other.ms.toFixed(0).padStart(7)}`,
    );
  }
  if (step === T) break;
  const { grad } = await train.grad(theta);
  const next = new Float64Array(theta.length);
  for (let j = 0; j < next.length; j++) next[j] = theta[j] - ETA * grad[j];
  theta = next;
  await peer.ask(`steps ${ETA} 1`);
}
const mean = (a: readonly number[]) => a.reduce((p, q) => p + q, 0) / a.length;
const sharpRatio = oursSeconds / theirsSeconds;
console.log(
  `   total: biaslab ${oursSeconds.toFixed(2)} s (${mean(oursHvps).toFixed(1)} HVPs per evaluation, the first cold), ` +
    `peer ${theirsSeconds.toFixed(2)} s (${mean(theirsHvps).toFixed(1)} HVPs per evaluation), ratio ${sharpRatio.toFixed(2)}`,
);
console.log(
  `   equal accuracy: largest relative difference of S between the sides ${worst.toExponential(1)} ` +
    `(${worst <= 1e-4 ? 'within' : 'above'} 1e-4; both sides differ also by float32 rounding along their own GD)`,
);
rows.push(['sharpness along the run (s)', oursSeconds, theirsSeconds, sharpRatio, '≤ 0.5']);
await prepared.dispose();

// ── 3. the learning-rate sweep ────────────────────────────────────────────────────────────────────
const workers = defaultWorkers();
await settle();
const started = performance.now();
const result = await runExperiment(resolved, {
  workers,
  worker: { script: join(REPO, 'apps/cli/src/worker.ts'), payload: { plugins: [], cwd: REPO } },
});
const oursSweep = (performance.now() - started) / 1000;
await settle();
const theirsSweep = await peer.ask<{
  seconds: number;
  runs: { eta: number; status: string; steps: number; sharpness: [number, number | null][] }[];
}>(
  `sweep ${JSON.stringify({ etas, steps: T, every: EVERY, tol: PEER_TOL, divergence: defaultDivergenceBound(loss0) })}`,
);
console.log(`\n3. sweep of ${etas.length} η, ${workers} workers`);
console.log('   η          status b/p            steps b/p   final S biaslab   final S peer');
const byEta = new Map(result.rows.map((r) => [r.eta, r]));
for (const run of theirsSweep.runs) {
  const mine = byEta.get(run.eta);
  const last = run.sharpness.at(-1)?.[1];
  console.log(
    `   ${run.eta.toPrecision(4).padEnd(10)} ${`${mine?.status}/${run.status}`.padEnd(21)} ` +
      `${`${mine?.steps}/${run.steps}`.padEnd(11)} ${String(mine?.sharpness?.toPrecision(6)).padEnd(17)} ` +
      `${last === null || last === undefined ? 'n/a' : Math.abs(last).toPrecision(6)}`,
  );
}
const sweepRatio = oursSweep / theirsSweep.seconds;
const runSeconds = result.rows.reduce((sum, r) => sum + r.seconds, 0);
console.log(
  `   wall time: biaslab ${oursSweep.toFixed(1)} s (runExperiment, with data loading and compilation in every ` +
    `worker; its runs alone took ${runSeconds.toFixed(1)} s summed over ${workers} workers), peer ` +
    `${theirsSweep.seconds.toFixed(1)} s (its loop), ratio ${sweepRatio.toFixed(2)}`,
);
rows.push(['sweep wall time (s)', oursSweep, theirsSweep.seconds, sweepRatio, '≤ 1.0']);

peer.stop();
rmSync(work, { recursive: true, force: true });

console.log('\nmeasurement                    biaslab       peer   ratio   target');
for (const [name, a, b, r, target] of rows) {
  console.log(
    `${name.padEnd(28)} ${a.toFixed(2).padStart(9)} ${b.toFixed(2).padStart(10)} ${r.toFixed(2).padStart(6)}×   ${target}`,
  );
}
console.log('(ratio = biaslab ÷ peer; < 1: biaslab faster. Timings on a shared machine are noisy.)');
