import { BiaslabError, z } from '@biaslab/core';
import type { MemoryKey, MetricContext } from '@biaslab/core';
import { lanczos, signedPowerIteration, symmetricEigen } from '@biaslab/linalg';
import type { CountedOperator } from './trained-operator';

/** The largest operator order for which `method: auto` builds the dense matrix. */
export const DENSE_SHARPNESS_LIMIT = 64;

/** Default iteration caps and tolerances per method (Lanczos: Krylov dimension; power: products per run). */
export const EIGEN_DEFAULTS = {
  lanczos: { maxIter: 100, tol: 1e-10 },
  power: { maxIter: 1000, tol: 1e-6 },
} as const;

/** The option schema shared by every top-eigenvalue metric; `what` names the operator in the descriptions. */
export function eigenOptionsSchema(what: string) {
  return z
    .object({
      method: z
        .enum(['auto', 'lanczos', 'power', 'dense'])
        .default('auto')
        .describe(
          `Eigensolver for ${what}: \`dense\` (P products + symmetric eigensolver, exact), \`lanczos\` (full ` +
            `reorthogonalisation), \`power\` (power iteration with a spectral shift for the other end), ` +
            `\`auto\` = dense when P ≤ ${DENSE_SHARPNESS_LIMIT} trained parameters, else lanczos.`,
        ),
      k: z
        .number()
        .int()
        .positive()
        .default(1)
        .describe(
          'How many eigenvalues of largest magnitude to report (keys `.lambda.1` … `.lambda.k`); power needs 1.',
        ),
      maxIter: z
        .number()
        .int()
        .positive()
        .optional()
        .describe(
          `Largest Krylov dimension for lanczos (default ${EIGEN_DEFAULTS.lanczos.maxIter}); products per run for power ` +
            `(default ${EIGEN_DEFAULTS.power.maxIter}).`,
        ),
      tol: z
        .number()
        .nonnegative()
        .optional()
        .describe(
          `Relative residual tolerance: lanczos stops when its residual estimate is below tol·|λ| (default ` +
            `${EIGEN_DEFAULTS.lanczos.tol.toExponential()}); power when ‖Hv − ρv‖ ≤ tol·|ρ| (default ${EIGEN_DEFAULTS.power.tol.toExponential()}).`,
        ),
      warmStart: z
        .boolean()
        .default(true)
        .describe(
          'Start from the previous eigenvectors of this run (Lanczos: their sum; power: the top one); falls back to a seeded random vector.',
        ),
      residual: z
        .enum(['exact', 'estimate'])
        .default('exact')
        .describe(
          'Lanczos: `exact` spends one more product on the true residual ‖Hv − λv‖ it reports; `estimate` reports ' +
            "Lanczos's own estimate β_m·|y_m| (equal in exact arithmetic) and saves that product, for runs that evaluate often.",
        ),
      bothEnds: z
        .boolean()
        .default(true)
        .describe(
          'Power iteration: also iterate with H − λ₁I to find the other end of the spectrum (always done when the first run does not converge).',
        ),
    })
    .strict();
}

/** Options shared by the top-eigenvalue metrics. */
export type EigenOptions = z.infer<ReturnType<typeof eigenOptionsSchema>>;

/** The eigenvectors a metric keeps in memory for its next warm start, by decreasing |λ|. */
export type EigenVectors = readonly Float64Array[];

/** The k eigenvalues of largest magnitude of an operator, and how they were found. */
export interface EigenSolution {
  /** Eigenvalues with their signs, by decreasing magnitude; `vectors[i]` is the unit eigenvector of `values[i]`. */
  readonly values: readonly number[];
  readonly vectors: readonly Float64Array[];
  /** True residual ‖Mv − λv‖₂ of the top pair. */
  readonly residual: number;
  /** Operator products used, including the residual check. */
  readonly hvps: number;
  readonly converged: boolean;
  readonly method: 'dense' | 'lanczos' | 'power';
}

/**
 * Top-k eigenpairs of `operator` by the method of `options`, warm-started from (and saving to) `memoryKey` in
 * `context.memory`. Seeded from `context.rng.fork('<rngLabel>/<step>')`.
 */
export async function topEigenpairs(
  operator: CountedOperator,
  options: EigenOptions,
  context: Pick<MetricContext, 'memory' | 'rng' | 'step'>,
  where: { readonly metric: string; readonly memoryKey: MemoryKey<EigenVectors>; readonly rngLabel: string },
): Promise<EigenSolution> {
  const p = operator.size;
  const method =
    options.method === 'auto' ? (p <= DENSE_SHARPNESS_LIMIT ? 'dense' : 'lanczos') : options.method;
  if (options.k > p || (method === 'power' && options.k !== 1)) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `Metric \`metric/${where.metric}\`: option \`k\` must be ${method === 'power' ? '1 with `method: power`' : `at most the number of trained parameters (${p})`}, ` +
        `received \`${options.k}\`. ${method === 'power' ? 'Use `method: lanczos` for several eigenvalues.' : 'Lower `k`.'}`,
    );
  }
  const before = operator.products();
  const remembered = options.warmStart ? context.memory.get(where.memoryKey) : undefined;
  const previous = (remembered ?? []).filter((v) => v.length === p);
  const rng = context.rng.fork(`${where.rngLabel}/${context.step}`);
  let solution: Omit<EigenSolution, 'hvps' | 'method'>;
  if (method === 'dense') {
    solution = await denseTop(operator, options.k);
  } else if (method === 'lanczos') {
    // A single-vector Krylov method warm-started for k pairs: the sum of the previous (orthonormal)
    // eigenvectors has a component √(1/k) along each of them.
    let start: Float64Array | undefined;
    if (previous.length > 0) {
      start = new Float64Array(p);
      for (const v of previous) for (let i = 0; i < p; i++) start[i] += v[i];
    }
    const found = await lanczos(operator.apply, p, {
      maxIter: options.maxIter ?? EIGEN_DEFAULTS.lanczos.maxIter,
      tol: options.tol ?? EIGEN_DEFAULTS.lanczos.tol,
      rng,
      start,
      k: options.k,
      trueResidual: options.residual === 'exact',
    });
    solution = {
      values: found.pairs.map((pair) => pair.value),
      vectors: found.pairs.map((pair) => pair.vector),
      residual: found.residual,
      converged: found.converged,
    };
  } else {
    const found = await signedPowerIteration(operator.apply, p, {
      maxIter: options.maxIter ?? EIGEN_DEFAULTS.power.maxIter,
      tol: options.tol ?? EIGEN_DEFAULTS.power.tol,
      rng,
      start: previous[0],
      bothEnds: options.bothEnds,
    });
    solution = {
      values: [found.value],
      vectors: [found.vector],
      residual: found.residual,
      converged: found.converged,
    };
  }
  if (options.warmStart) context.memory.set(where.memoryKey, solution.vectors);
  return { ...solution, hvps: operator.products() - before, method };
}

async function denseTop(
  operator: CountedOperator,
  k: number,
): Promise<Omit<EigenSolution, 'hvps' | 'method'>> {
  const p = operator.size;
  const m = new Float64Array(p * p);
  const unit = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    unit[j] = 1;
    const column = await operator.apply(Float64Array.from(unit));
    unit[j] = 0;
    for (let i = 0; i < p; i++) m[i * p + j] = column[i];
  }
  // (M + Mᵀ)/2: exact products give symmetry to rounding.
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) {
      const s = 0.5 * (m[i * p + j] + m[j * p + i]);
      m[i * p + j] = s;
      m[j * p + i] = s;
    }
  }
  const eig = symmetricEigen(m, p);
  const picked: number[] = [];
  let lo = 0;
  let hi = p - 1;
  while (picked.length < k) picked.push(Math.abs(eig.values[hi]) >= Math.abs(eig.values[lo]) ? hi-- : lo++);
  const vectors = picked.map((idx) => eig.vectors.slice(idx * p, (idx + 1) * p));
  // r = M v − λ v with the operator itself, not the symmetrised matrix.
  const r = await operator.apply(vectors[0]);
  const lambda = eig.values[picked[0]];
  let ssq = 0;
  for (let i = 0; i < p; i++) ssq += (r[i] - lambda * vectors[0][i]) ** 2;
  return { values: picked.map((idx) => eig.values[idx]), vectors, residual: Math.sqrt(ssq), converged: true };
}

/**
 * The keys of a top-eigenvalue metric: `<name>` = |λ₁|, `<name>.lambda` = λ₁ with its sign, `<name>.lambda.i`
 * (i = 1..k, by decreasing |λ|), `<name>.residual`, `<name>.hvps`, `<name>.converged`, and with `eta` the
 * stability ratio `<name>.stability` = |λ₁|·η/2.
 */
export function eigenKeys(
  name: string,
  solution: EigenSolution | undefined,
  k: number,
  eta?: number,
): Record<string, number> {
  const lambda = solution ? solution.values[0] : Number.NaN;
  const s = Math.abs(lambda);
  const out: Record<string, number> = {
    [name]: s,
    [`${name}.lambda`]: lambda,
  };
  for (let i = 0; i < k; i++) out[`${name}.lambda.${i + 1}`] = solution?.values[i] ?? Number.NaN;
  out[`${name}.residual`] = solution ? solution.residual : Number.NaN;
  out[`${name}.hvps`] = solution ? solution.hvps : 0;
  out[`${name}.converged`] = solution?.converged ? 1 : 0;
  // S·η/2: 1 is the stability threshold S = 2/η.
  if (eta !== undefined) out[`${name}.stability`] = (s * eta) / 2;
  return out;
}
