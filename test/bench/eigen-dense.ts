// Dense symmetric eigensolver benchmark: `symmetricEigenvalues` and `symmetricEigen` of @biaslab/linalg beside
// SciPy's `eigvalsh` / `eigh` (LAPACK through OpenBLAS) on the same seeded random symmetric matrix, with the
// largest eigenvalue difference between the two relative to ‖A‖. 1827 is the order of the ONNX MLP fixture's
// Hessian (test/onnx-import). The JS solver runs on one thread, after one warm-up solve of order 200 so that
// the timings leave out JIT compilation; the peer gets the thread budget. With eigenvectors it also prints
// their quality on 32 sampled pairs: max ‖Av − λv‖/‖A‖ and max |vᵢᵀvⱼ − δᵢⱼ| against every vector.
// Run: pnpm bench eigen-dense [--quick] [--n=500,1827] [--vectors=1827] [--threads=1,2]
// (`--name value` works when the file is run directly; `pnpm bench` passes on only arguments starting with --.)
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
  const joined = args.find((a) => a.startsWith(`--${name}=`));
  if (joined) return joined.slice(name.length + 3);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const QUICK = args.includes('--quick');
const ORDERS = arg('n', QUICK ? '300' : '500,1827')
  .split(',')
  .map(Number);
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

/**
 * Eigenvector quality on `samples` evenly spaced pairs: max ‖Av − λv‖₂/‖A‖ over them, and max |vᵢᵀvⱼ − δᵢⱼ| of
 * each against every eigenvector.
 */
function vectorQuality(
  a: Float64Array,
  n: number,
  { values, vectors }: { values: Float64Array; vectors: Float64Array },
  norm: number,
  samples: number,
): { residual: number; orthogonality: number } {
  let residual = 0;
  let orthogonality = 0;
  for (let s = 0; s < Math.min(samples, n); s++) {
    const k = Math.floor((s * (n - 1)) / Math.max(samples - 1, 1));
    const v = vectors.subarray(k * n, (k + 1) * n);
    let ssq = 0;
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j] * v[j];
      ssq += (av - values[k] * v[i]) ** 2;
    }
    residual = Math.max(residual, Math.sqrt(ssq) / norm);
    for (let j = 0; j < n; j++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += vectors[j * n + i] * v[i];
      orthogonality = Math.max(orthogonality, Math.abs(d - (j === k ? 1 : 0)));
    }
  }
  return { residual, orthogonality };
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

const fmt = (s: number) => `${s.toFixed(2)} s`;

const warmUp = randomSymmetric(200, 1);
symmetricEigenvalues(warmUp, 200);
symmetricEigen(warmUp, 200);

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
    const quality = vectorQuality(a, n, vectors.value, norm, 32);
    console.log(
      `  eigenvectors (32 sampled): max ‖Av − λv‖/‖A‖ = ${quality.residual.toExponential(1)}, ` +
        `max |vᵢᵀvⱼ − δᵢⱼ| = ${quality.orthogonality.toExponential(1)} (n·ε = ${(n * Number.EPSILON).toExponential(1)})`,
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
