// Engine benchmark: loss+gradient, Hessian-vector products and one GD step of a tanh MLP with MSE, biaslab
// (onnxruntime-node sessions of the derived graphs) side by side with PyTorch (double backward) at the same
// thread budget. biaslab and PyTorch repetitions alternate, so a change in the machine's load hits both.
// Run: node --conditions=biaslab-source --import tsx test/bench/engine-mlp.ts [--reps 10] [--threads 1,2]
// [--dtypes float32,float64] [--settle 50 (ms of pause before each timed call)]. The peer needs Debian's python3-torch (its rows are skipped without it).
import { fileURLToPath } from 'node:url';
import { Rng, createModel } from '@biaslab/core';
import type { FloatDType } from '@biaslab/core';
import { mlpModel } from '@biaslab/models';
import { GraphBuilder } from '@biaslab/onnx';
import { GraphSession, createObjective } from '@biaslab/runtime';
import { PythonPeer } from './_python-peer';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const REPS = Number(arg('reps', '10'));
const WARMUP = 3;
const THREADS = arg('threads', '1,2').split(',').map(Number);
const DTYPES = arg('dtypes', 'float32,float64').split(',') as FloatDType[];
// Both onnxruntime's and OpenBLAS's worker threads spin for a while after a call returns; a pause before each
// timed call keeps one side's spinning threads from taking the cores the other side is timed on.
const SETTLE_MS = Number(arg('settle', '50'));
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
const PEER = fileURLToPath(new URL('./peers/engine_mlp_torch.py', import.meta.url));

type Row = 'grad' | 'hvp' | 'fused' | 'ggn' | 'step';
/** The torch operation each row is compared with (none for the GGN). */
const PEER_OP: Record<Row, string | undefined> = {
  grad: 'grad',
  hvp: 'hvp',
  fused: 'hvp',
  ggn: undefined,
  step: 'step',
};

/**
 * The PyTorch peer: answers each operation name with its wall time in ms (`rss`: peak MiB), after a `ready K`
 * line naming torch's intra-op thread count it found fastest within the budget (OpenBLAS gets the whole budget).
 */
async function startPeer(widths: number[], n: number, dtype: FloatDType, threads: number) {
  const started = await PythonPeer.start(
    PEER,
    [dtype, String(threads), widths.join('-'), String(n)],
    threads,
  );
  if ('failure' in started || !started.ready.startsWith('ready')) {
    console.log(`  (PyTorch peer unavailable: ${'failure' in started ? started.failure : started.ready})`);
    if ('peer' in started) started.peer.stop();
    return undefined;
  }
  const { peer } = started;
  return {
    torchThreads: Number(started.ready.split(' ')[1]),
    ask: async (op: string) => Number(await peer.ask(op)),
    stop: () => peer.stop(),
  };
}

/** biaslab's operation for each row, on an MLP of `widths` over n random samples. */
async function biaslab(widths: number[], n: number, dtype: FloatDType, threads: number) {
  const rng = new Rng(0);
  const [inDim, ...rest] = widths;
  const outDim = rest.pop()!;
  const model = createModel(
    mlpModel,
    { widths: rest, activation: 'tanh' },
    { inputShape: [inDim], outputSize: outDim, task: 'regression', dtype, rng },
  );
  const data = {
    x: { dtype: 'float64', shape: [n, inDim], data: rng.normals(n * inDim) },
    y: { dtype: 'float64', shape: [n, outDim], data: rng.normals(n * outDim) },
  } as const;
  const objective = await createObjective({ model, loss: 'mse', data, dtype, threads });
  let theta = Float64Array.from(model.init);
  const v = rng.normals(theta.length);
  const ops: Record<Row, () => Promise<unknown>> = {
    grad: () => objective.grad(theta),
    hvp: () => objective.hvp(theta, v),
    fused: () => objective.hvpWithGrad(theta, v),
    ggn: () => objective.ggnvp(theta, v),
    // one full-batch GD step: θ ← θ − η ∇L(θ)
    step: async () => {
      const { grad } = await objective.grad(theta);
      const next = new Float64Array(theta.length);
      for (let i = 0; i < next.length; i++) next[i] = theta[i] - 1e-3 * grad[i];
      theta = next;
    },
  };
  return { ops, dispose: () => objective.dispose() };
}

const elapsed = async (fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

/** Measured MatMul rate of onnxruntime on [1000, 784]·[784, 512] (GFLOP/s), the machine's reference speed. */
async function matmulRate(dtype: FloatDType, threads: number): Promise<number> {
  const g = new GraphBuilder('matmul');
  const a = g.addInput('a', dtype, [1000, 784]);
  const b = g.addInput('b', dtype, [784, 512]);
  g.addOutput(g.op('MatMul', [a, b]), dtype, [1000, 512]);
  const session = await GraphSession.create(g.build(), { threads });
  const rng = new Rng(1);
  const make = (size: number) =>
    dtype === 'float64' ? rng.normals(size) : Float32Array.from(rng.normals(size));
  const feeds = {
    a: { dtype, shape: [1000, 784], data: make(1000 * 784) },
    b: { dtype, shape: [784, 512], data: make(784 * 512) },
  } as never;
  const runs: number[] = [];
  for (let i = 0; i < WARMUP + REPS; i++) runs.push(await elapsed(() => session.run(feeds)));
  await session.release();
  return (2 * 1000 * 784 * 512) / (Math.min(...runs.slice(WARMUP)) * 1e6);
}

/**
 * Matmul FLOPs per evaluation, counting each layer's n·fan_in·fan_out product (`first` layer apart: no
 * cotangent flows into x). Gradient: forward, weight gradients, hidden cotangents. HVP alone (the graph of
 * `hvp`): forward, hidden cotangents, then the tangent pass (input-layer products twice, others six times).
 * Fused: the HVP plus the weight gradients.
 */
function flops(widths: number[], n: number): Record<Row, number | undefined> {
  let first = 0;
  let rest = 0;
  for (let l = 1; l < widths.length; l++) {
    if (l === 1) first += 2 * n * widths[0] * widths[1];
    else rest += 2 * n * widths[l - 1] * widths[l];
  }
  const grad = 2 * first + 3 * rest;
  return { grad, step: grad, hvp: 3 * first + 8 * rest, fused: 4 * first + 9 * rest, ggn: undefined };
}

const fmt = (ms: number) => ms.toFixed(1).padStart(7);
const ratio = (r: number) => r.toFixed(2).padStart(5);

async function workload(label: string, widths: number[], n: number, rows: readonly Row[]) {
  console.log(`\n${label}: MLP ${widths.join('-')} tanh, ${n} samples, MSE`);
  const f = flops(widths, n);
  for (const dtype of DTYPES) {
    for (const threads of THREADS) {
      const rate = await matmulRate(dtype, threads);
      const ours = await biaslab(widths, n, dtype, threads);
      const peer = await startPeer(widths, n, dtype, threads);
      console.log(
        `  ${dtype}, ${threads} thread${threads > 1 ? 's' : ''} (onnxruntime MatMul ${rate.toFixed(0)} GFLOP/s${peer ? `; torch: ${peer.torchThreads} intra-op thread(s) over ${threads}-thread OpenBLAS` : ''})`,
      );
      try {
        for (const row of rows) {
          const op = PEER_OP[row];
          const [a, b]: number[][] = [[], []];
          for (let i = 0; i < WARMUP + REPS; i++) {
            const t = await elapsed(ours.ops[row]);
            await settle();
            const u = peer && op ? await peer.ask(op) : Number.NaN;
            await settle();
            if (i >= WARMUP) (a.push(t), b.push(u));
          }
          const work = f[row];
          const gflops = work ? ` ${(work / (Math.min(...a) * 1e6)).toFixed(0).padStart(4)} GFLOP/s` : '';
          const vs =
            peer && op
              ? ` | torch ${fmt(median(b))} [${fmt(Math.min(...b))}] | ratio ${ratio(median(a.map((t, i) => t / b[i])))} [${ratio(Math.min(...a) / Math.min(...b))}]`
              : '';
          console.log(
            `    ${row.padEnd(6)} biaslab ${fmt(median(a))} [${fmt(Math.min(...a))}] ms${gflops}${vs}`,
          );
        }
        if (peer) {
          const rss = await peer.ask('rss');
          console.log(
            `    peak RSS: torch ${rss.toFixed(0)} MiB; biaslab process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (all workloads so far)`,
          );
        }
      } finally {
        peer?.stop();
        await ours.dispose();
      }
    }
  }
}

console.log(
  `median of ${REPS} alternating repetitions after ${WARMUP} warm-ups, minimum in brackets; ratio = biaslab / torch`,
);
console.log(
  '(median of the paired per-repetition ratios; < 1: biaslab faster). rows: grad = loss+gradient; hvp = ∇²L·v alone;',
);
console.log(
  'fused = loss+gradient+∇²L·v in one run; torch: one double backward for both; ggn = Gauss–Newton product;',
);
console.log(
  'step = one full-batch GD step. GFLOP/s from the minimum time and the matmul FLOPs of the graph.',
);
await workload('HVP workload', [784, 512, 512, 10], 1000, ['grad', 'hvp', 'fused', 'ggn']);
await workload('GD-step workload', [784, 200, 200, 10], 5000, ['step']);
