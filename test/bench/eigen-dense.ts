// Dense symmetric eigensolver benchmark: `symmetricEigenvalues` and `symmetricEigen` of @biaslab/linalg beside
// SciPy's `eigvalsh` / `eigh` (LAPACK through OpenBLAS) on the same seeded random symmetric matrix, with the
// largest eigenvalue difference between the two relative to ‖A‖. 1827 is the order of the ONNX MLP fixture's
// Hessian (test/onnx-import). The JS solver runs on one thread; the peer gets the thread budget.
// Run: pnpm bench eigen-dense [--quick] [--n 500,1827] [--vectors 1827] [--threads 1,2]
// `--vectors` lists the orders also timed with eigenvectors (default: all). The peer needs Debian's python3-numpy
// and python3-scipy; without them its columns are skipped with a note.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@biaslab/core';
import { symmetricEigen, symmetricEigenvalues } from '@biaslab/linalg';
import { PythonPeer } from './_python-peer';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const QUICK = args.includes('--quick');
const ORDERS = arg('n', QUICK ? '300' : '500,1827').split(',').map(Number);
const VECTORS = new Set(arg('vectors', ORDERS.join(',')).split(',').map(Number));
const THREADS = arg('threads', '1,2').split(',').map(Number);
const PEER = fileURLToPath(new URL('./peers/eigen_dense_scipy.py', import.meta.url));

/** A = (G + Gᵀ)/√2 with G standard Gaussian: a GOE matrix, spectrum ≈ semicircle on [−2√n, 2√n]. */
function randomSymmetric(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = i === j ? Math.SQRT2 * rng.normal() : rng.normal();
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  }
  return a;
}

/** Wall and CPU seconds of `f`. */
function timed<T>(f: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const c = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

const fmt = (s: number) => `${s.toFixed(2)} s`;

for (const n of ORDERS) {
  const seed = 1827;
  const a = randomSymmetric(n, seed);
  console.log(`n = ${n} (GOE matrix, seed ${seed})`);
  const values = timed(() => symmetricEigenvalues(a, n));
  const norm = Math.max(Math.abs(values.value[0]), Math.abs(values.value[n - 1]));
  console.log(`  biaslab symmetricEigenvalues: ${fmt(values.wall)} wall, ${fmt(values.cpu)} CPU`);
  let vectors: ReturnType<typeof timed<ReturnType<typeof symmetricEigen>>> | undefined;
  if (VECTORS.has(n)) {
    vectors = timed(() => symmetricEigen(a, n));
    const same = vectors.value.values.every((x, i) => x === values.value[i]);
    console.log(
      `  biaslab symmetricEigen:       ${fmt(vectors.wall)} wall, ${fmt(vectors.cpu)} CPU` +
        ` (values bit-identical to the values-only path: ${same})`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'biaslab-eigen-bench-'));
  try {
    const file = join(dir, 'a.f64');
    writeFileSync(file, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    for (const threads of THREADS) {
      const started = await PythonPeer.start(PEER, [file, String(n)], threads);
      if ('failure' in started || started.ready !== 'ready') {
        console.log(`  (SciPy peer unavailable: ${'failure' in started ? started.failure : started.ready})`);
        if ('peer' in started) started.peer.stop();
        break;
      }
      const { peer } = started;
      const ask = async (op: string) => JSON.parse(await peer.ask(op)) as { ms: number; values: number[] };
      const peerValues = await ask('eigvalsh');
      const agreement = maxDifference(values.value, peerValues.values) / norm;
      console.log(
        `  scipy eigvalsh (${threads} thread${threads > 1 ? 's' : ''}): ${fmt(peerValues.ms / 1000)}; ` +
          `biaslab/scipy = ${(values.wall / (peerValues.ms / 1000)).toFixed(1)}×; ` +
          `max |λ_biaslab − λ_scipy| / ‖A‖ = ${agreement.toExponential(1)}`,
      );
      if (vectors) {
        const peerVectors = await ask('eigh');
        console.log(
          `  scipy eigh     (${threads} thread${threads > 1 ? 's' : ''}): ${fmt(peerVectors.ms / 1000)}; ` +
            `biaslab/scipy = ${(vectors.wall / (peerVectors.ms / 1000)).toFixed(1)}×`,
        );
      }
      peer.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
