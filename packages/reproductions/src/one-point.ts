import type { ExperimentInput } from '@biaslab/lab';

/** The paper's one-point problem: x = (1, 0.2), y = 1, w₀ = α·1, ground truth β* = (0.7, 1.5). */
export const ONE_POINT = { x: [1, 0.2], y: 1, alpha: 0.1, betaStar: [0.7, 1.5] } as const;

/**
 * The one-point sweep: the theory setting of Matveev et al. (arXiv 2505.21423) — a shared-weight diagonal
 * network β = w⊙w with w₀ = 0.1·1 on the one point x = (1, 0.2), y = 1 (β* = (0.7, 1.5)), float64, trained by
 * GD to ε = 1e-8 held for 300 steps, at 20 log-spaced η from 0.1 to 2.6. The flow predicts η_c = 2/s_GF ≈
 * 0.50; no interpolator is stable beyond η = 1/(2·y·min x) = 2.5, and from this θ₀ GD already diverges above
 * η ≈ 1. `biaslab sweep` runs it when no model, dataset or config file is named.
 */
export const ONE_POINT_SWEEP = {
  model: { name: 'dln', options: { parametrization: 'shared', alpha: ONE_POINT.alpha } },
  dataset: {
    name: 'one-point',
    options: { x: [...ONE_POINT.x], y: ONE_POINT.y, betaStar: [...ONE_POINT.betaStar] },
  },
  loss: 'mse',
  optimizer: { name: 'gd', options: {} },
  metrics: ['l1', 'beta-l1', 'sharpness', 'test-error'],
  every: 100,
  dtype: 'float64',
  seed: 0,
  stop: { epsilon: 1e-8, patience: 300, maxSteps: 20_000 },
  lrGrid: { from: 0.1, to: 2.6, count: 20, spacing: 'log' },
} satisfies ExperimentInput;

/**
 * The one-point sweep of the `dln-onepoint` reproduction: the sweep above with a fine RK4 step (the flow is
 * compared with the closed form to 1e-6); `full` holds L < 1e-12 for 1000 steps over 40 η and refines around
 * η_c and the divergence edge.
 */
export function onePointConfig(full: boolean): ExperimentInput {
  return {
    ...ONE_POINT_SWEEP,
    every: full ? 50 : ONE_POINT_SWEEP.every,
    stop: full ? { epsilon: 1e-12, patience: 1000, maxSteps: 200_000 } : ONE_POINT_SWEEP.stop,
    lrGrid: { ...ONE_POINT_SWEEP.lrGrid, count: full ? 40 : ONE_POINT_SWEEP.lrGrid.count },
    flow: { hMax: 0.01 },
    refine: full ? { etaC: 6, edge: 4 } : {},
  };
}
