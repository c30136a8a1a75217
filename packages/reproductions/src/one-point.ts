/**
 * The built-in experiment `biaslab sweep` runs when no model, dataset or config file is named: the theory
 * setting of Matveev et al. (arXiv 2505.21423) — a shared-weight diagonal network β = w⊙w with w₀ = 0.1·1 on
 * the one point x = (1, 0.2), y = 1 (β* = (0.7, 1.5)), float64, trained by GD to ε = 1e-8 held for 300 steps,
 * at 20 log-spaced η from 0.1 to 2.6. The flow predicts η_c = 2/s_GF ≈ 0.50; no interpolator is stable
 * beyond η = 1/(2·y·min x) = 2.5, and from this θ₀ GD already diverges above η ≈ 1.
 */
export const MAIN_JOB = {
  model: { name: 'dln', options: { parametrization: 'shared', alpha: 0.1 } },
  dataset: { name: 'one-point', options: { x: [1, 0.2], y: 1, betaStar: [0.7, 1.5] } },
  loss: 'mse',
  optimizer: { name: 'gd', options: {} },
  metrics: ['l1', 'beta-l1', 'sharpness', 'test-error'],
  every: 100,
  dtype: 'float64',
  seed: 0,
  stop: { epsilon: 1e-8, patience: 300, maxSteps: 20_000 },
  lrGrid: { from: 0.1, to: 2.6, count: 20, spacing: 'log' },
} as const;
