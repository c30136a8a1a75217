import { defineOptimizer, z } from '@biaslab/core';
import { l2NormTwoPass as l2Norm } from '@biaslab/linalg';
import { commonOptionsShape, withCommonOptions } from './common-options';
import { checkGradient, gradientOptimizer } from './gradient-optimizer';
import type { GradientEvaluator } from './gradient-optimizer';
import { traceMomentum } from './trace-momentum';

const momentum = z
  .number()
  .min(0)
  .lt(1)
  .default(0)
  .describe('β of heavy-ball momentum on the SAM gradient (0: plain SAM-GD)');

/** Options of `optimizer/sam`. */
export const samOptions = z
  .object({
    rho: z.number().positive().default(0.05).describe('ρ: radius of the ascent step ρ·g/‖g‖'),
    momentum,
    ...commonOptionsShape,
  })
  .strict()
  .describe('Sharpness-aware minimisation (Foret et al. 2021)');

/** Options of `optimizer/asam`. */
export const asamOptions = z
  .object({
    rho: z
      .number()
      .positive()
      .default(0.5)
      .describe('ρ: radius of the ascent step in the scaled norm ‖T⁻¹ε‖'),
    offset: z
      .number()
      .min(0)
      .default(0.01)
      .describe('ξ in the elementwise scale T = diag(|θ| + ξ) (η of Kwon et al. 2021)'),
    momentum,
    ...commonOptionsShape,
  })
  .strict()
  .describe('Adaptive sharpness-aware minimisation (Kwon et al. 2021)');

export type SamOptions = z.infer<typeof samOptions>;
export type AsamOptions = z.infer<typeof asamOptions>;

/**
 * The SAM gradient: g = ∇L(θ), ε = ρ T²g/‖Tg‖ (T = I for SAM, diag(|θ| + ξ) for ASAM; ε = 0 when Tg = 0),
 * then ∇L(θ + ε). Reports L(θ) and ‖∇L(θ)‖ from the first evaluation.
 */
function samGradient(rho: number, offset: number | undefined): GradientEvaluator {
  return async ({ theta, oracle }) => {
    const { loss, grad } = await oracle.grad(theta);
    checkGradient(grad, theta);
    const n = theta.length;
    const scaled = new Float64Array(n);
    // Tg, with T = I (SAM) or diag(|θ| + ξ) (ASAM)
    for (let i = 0; i < n; i++)
      scaled[i] = offset === undefined ? grad[i] : (Math.abs(theta[i]) + offset) * grad[i];
    const norm = l2Norm(scaled);
    const perturbed = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = offset === undefined ? 1 : Math.abs(theta[i]) + offset;
      // θ + ρ T(Tg)/‖Tg‖
      perturbed[i] = norm > 0 ? theta[i] + (rho * t * scaled[i]) / norm : theta[i];
    }
    const ascent = await oracle.grad(perturbed);
    return { grad: ascent.grad, loss, gradNorm: l2Norm(grad) };
  };
}

/**
 * Sharpness-aware minimisation (Foret, Kleiner, Mobahi & Neyshabur 2021): ε = ρ g/‖g‖ with g = ∇L(θ), then
 * θ⁺ = θ − ηₜ(∇L(θ + ε) + λθ) (with optional heavy-ball momentum on that gradient). Two gradients per step.
 */
export const samOptimizer = defineOptimizer<SamOptions>({
  name: 'sam',
  summary: 'SAM: θ⁺ = θ − η ∇L(θ + ρ g/‖g‖), g = ∇L(θ)',
  description:
    'ε = ρ ∇L(θ)/‖∇L(θ)‖, θ⁺ = θ − η ∇L(θ + ε) (Foret et al. 2021); optional momentum on the SAM gradient. Two ' +
    'full-batch gradients per step.',
  options: samOptions,
  create: (options) =>
    gradientOptimizer(
      withCommonOptions(traceMomentum(options.momentum), options),
      samGradient(options.rho, undefined),
    ),
});

/**
 * Adaptive SAM (Kwon, Kim, Park & Choi 2021): with T = diag(|θ| + ξ), ε = ρ T²g/‖Tg‖, then
 * θ⁺ = θ − ηₜ(∇L(θ + ε) + λθ). The elementwise scaling makes the ascent radius invariant to rescaling of weights.
 */
export const asamOptimizer = defineOptimizer<AsamOptions>({
  name: 'asam',
  summary: 'Adaptive SAM: ε = ρ T²g/‖Tg‖ with T = diag(|θ| + ξ), θ⁺ = θ − η ∇L(θ + ε)',
  description:
    'T = diag(|θ| + ξ), ε = ρ T²∇L(θ)/‖T∇L(θ)‖, θ⁺ = θ − η ∇L(θ + ε) (Kwon et al. 2021). Two full-batch gradients ' +
    'per step.',
  options: asamOptions,
  create: (options) =>
    gradientOptimizer(
      withCommonOptions(traceMomentum(options.momentum), options),
      samGradient(options.rho, options.offset),
    ),
});
