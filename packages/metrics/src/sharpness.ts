import { BiaslabError, defineMetric, z } from '@biaslab/core';
import type { MetricContext } from '@biaslab/core';
import { denseHessian } from './dense-hessian';
import { lanczos } from './lanczos';
import type { LinearOperator } from './lanczos';
import { symmetricEigen } from './symmetric-eigen';

/** Where the sharpness metric keeps the last top eigenvector in `MetricContext.memory`. */
export const SHARPNESS_MEMORY_KEY = '@biaslab/metrics/sharpness/top-eigenvector';

/** The largest number of trained parameters for which `method: auto` builds the dense Hessian. */
export const DENSE_SHARPNESS_LIMIT = 64;

const sharpnessOptions = z
  .object({
    method: z
      .enum(['auto', 'lanczos', 'dense'])
      .default('auto')
      .describe(
        `Eigensolver: \`dense\` (P HVPs + symmetric eigensolver, exact), \`lanczos\` (full reorthogonalisation), ` +
          `\`auto\` = dense when P ≤ ${DENSE_SHARPNESS_LIMIT} trained parameters, else lanczos.`,
      ),
    maxIter: z
      .number()
      .int()
      .positive()
      .default(100)
      .describe('Largest Krylov dimension (HVPs) for Lanczos.'),
    tol: z
      .number()
      .nonnegative()
      .default(1e-10)
      .describe('Lanczos stops when its residual estimate is below tol·|λ|.'),
    warmStart: z
      .boolean()
      .default(true)
      .describe(
        'Start Lanczos from the previous top eigenvector of this run (falls back to a seeded random vector).',
      ),
  })
  .strict();

/** Options of the `sharpness` metric. */
export type SharpnessOptions = z.infer<typeof sharpnessOptions>;

/**
 * Sharpness S(θ) = ‖∇²L(θ)‖₂ = max |λ(∇²L(θ))| of the full-batch training loss over the trained parameters
 * (metric `sharpness`), with the signed eigenvalue, the true residual ‖Hv − λv‖₂, the HVPs used and the
 * stability ratio S·η/2 (above 1: GD with step η is unstable along the top eigenvector; Cohen et al. 2021).
 */
export const sharpnessMetric = defineMetric<SharpnessOptions>({
  name: 'sharpness',
  summary: 'Top |eigenvalue| of the training-loss Hessian, its sign and residual, and S·η/2.',
  description:
    'sharpness = max |λ(∇²L(θ))| over the trained parameters; sharpness.lambda = that eigenvalue with its sign; ' +
    'sharpness.residual = ‖Hv − λv‖₂; sharpness.hvps = Hessian-vector products used; sharpness.converged = 1 or 0; ' +
    'sharpness.stability = S·η/2. Lanczos with full reorthogonalisation (Lanczos 1950; Golub & Van Loan) or the ' +
    'exact dense Hessian for small models.',
  options: sharpnessOptions,
  needs: ['hvp'],
  create: (options) => ({
    compute: (context) => computeSharpness(options, context),
  }),
});

async function computeSharpness(
  options: SharpnessOptions,
  context: MetricContext,
): Promise<Record<string, number>> {
  const { theta, train } = context;
  if (theta.length !== train.size) {
    throw new BiaslabError(
      'SHAPE',
      `Metric \`metric/sharpness\`: θ has \`${theta.length}\` entries but the training objective expects \`${train.size}\`.`,
    );
  }
  if (!theta.every(Number.isFinite)) {
    // A diverged run: nothing to measure, and the stop rule labels the run.
    return result(Number.NaN, Number.NaN, 0, 0, context.eta);
  }
  const indices = trainedIndices(context);
  const p = indices.length;
  if (p === 0) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      'Metric `metric/sharpness`: the model has no trained parameters, so the Hessian is empty. Mark at least one parameter trainable.',
    );
  }
  const all = p === train.size;
  // v ↦ H[I, I] v: scatter into θ's coordinates, multiply, gather back.
  const hvp: LinearOperator = async (v) => {
    if (all) return train.hvp(theta, v);
    const full = new Float64Array(train.size);
    for (let i = 0; i < p; i++) full[indices[i]] = v[i];
    const hv = await train.hvp(theta, full);
    return Float64Array.from(indices, (index) => hv[index]);
  };
  const method =
    options.method === 'auto' ? (p <= DENSE_SHARPNESS_LIMIT ? 'dense' : 'lanczos') : options.method;

  let lambda: number;
  let vector: Float64Array;
  let residual: number;
  let hvps: number;
  let converged: boolean;
  if (method === 'dense') {
    const hessian = await denseHessian(train, theta, all ? {} : { indices });
    const eig = symmetricEigen(hessian.matrix, p);
    const top = Math.abs(eig.values[p - 1]) >= Math.abs(eig.values[0]) ? p - 1 : 0;
    lambda = eig.values[top];
    vector = eig.vectors.slice(top * p, (top + 1) * p);
    // r = H v − λ v with the true operator, not the symmetrised matrix.
    const r = await hvp(vector);
    let ssq = 0;
    for (let i = 0; i < p; i++) ssq += (r[i] - lambda * vector[i]) ** 2;
    residual = Math.sqrt(ssq);
    hvps = p + 1;
    converged = true;
  } else {
    const remembered = options.warmStart ? context.memory.get(SHARPNESS_MEMORY_KEY) : undefined;
    const start = remembered instanceof Float64Array && remembered.length === p ? remembered : undefined;
    const rng = context.rng.fork(`@biaslab/metrics/sharpness/${context.step}`);
    const found = await lanczos(hvp, p, { maxIter: options.maxIter, tol: options.tol, rng, start });
    ({ value: lambda, vector, residual, hvps, converged } = found);
  }
  if (options.warmStart) context.memory.set(SHARPNESS_MEMORY_KEY, vector);
  return result(lambda, residual, hvps, converged ? 1 : 0, context.eta);
}

function result(
  lambda: number,
  residual: number,
  hvps: number,
  converged: number,
  eta: number,
): Record<string, number> {
  const s = Math.abs(lambda);
  return {
    sharpness: s,
    'sharpness.lambda': lambda,
    'sharpness.residual': residual,
    'sharpness.hvps': hvps,
    'sharpness.converged': converged,
    // S·η/2: 1 is the stability threshold S = 2/η.
    'sharpness.stability': (s * eta) / 2,
  };
}

function trainedIndices(context: MetricContext): number[] {
  const out: number[] = [];
  for (const s of context.layout.slots) {
    if (s.trainable === false) continue;
    for (let i = 0; i < s.size; i++) out.push(s.offset + i);
  }
  return out;
}
