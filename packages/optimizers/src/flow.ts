import { defineOptimizer, z } from '@biaslab/core';
import type { Optimizer } from '@biaslab/core';
import { l2NormTwoPass as l2Norm, powerIteration } from '@biaslab/linalg';
import { commonOptionsShape, preconditionGradient, scheduledEta } from './common-options';
import { checkEta, checkGradient } from './gradient-optimizer';

/** Options of `optimizer/flow`. */
export const flowOptions = z
  .object({
    c: z
      .number()
      .positive()
      .max(2.5)
      .default(0.5)
      .describe('c in the step h = min(c/S(θ), η): RK4 is stable on curvature S for h·S < 2.78'),
    powerIterations: z
      .number()
      .int()
      .positive()
      .default(4)
      .describe('Hessian-vector products per step for S(θ), warm-started from the previous direction'),
    coldPowerIterations: z
      .number()
      .int()
      .positive()
      .default(20)
      .describe('Hessian-vector products for S(θ) on the first step, from a random direction'),
    ...commonOptionsShape,
  })
  .strict()
  .describe('Gradient flow dθ/dt = −∇L(θ) integrated by RK4 with a sharpness-aware step');

export type FlowOptions = z.infer<typeof flowOptions>;

/** State of `optimizer/flow`: flow time reached, the last step h, S(θ) there, and the power-iteration direction. */
export interface FlowState {
  readonly time: number;
  readonly h: number;
  readonly sharpness: number;
  readonly direction: Float64Array;
}

/**
 * Gradient flow dθ/dt = −F(θ), F(θ) = clip_c(∇L(θ)) + λθ (plain −∇L(θ) with the default options), integrated by
 * the classical Runge–Kutta method: k₁ = −F(θ), k₂ = −F(θ + h/2·k₁), k₃ = −F(θ + h/2·k₂), k₄ = −F(θ + h·k₃),
 * θ⁺ = θ + h/6·(k₁ + 2k₂ + 2k₃ + k₄). The step is h = min(c/S(θ), ηₜ): the run's η (times the schedule) is
 * the largest step h_max, and S(θ) comes from warm-started power iteration on the Hessian, as in the
 * gradient-flow runs of Cohen et al. 2021. Each call advances one RK4 step; `state.time` is the flow time t.
 * Cost per step: 4 gradients and `powerIterations` HVPs.
 */
export function flow(options: FlowOptions): Optimizer<FlowState> {
  const pre = preconditionGradient(options);
  return {
    init: (theta) => ({ time: 0, h: 0, sharpness: 0, direction: new Float64Array(theta.length) }),
    async step({ theta, state, eta, step, oracle, rng }) {
      checkEta(eta);
      const n = theta.length;
      let start = state.direction;
      let iterations = options.powerIterations;
      if (!(l2Norm(start) > 0)) {
        start = rng.normals(n);
        iterations = options.coldPowerIterations;
      }
      // S = ‖Hv‖ of the last unit iterate v: robust when λ_max ≈ −λ_min, where the Rayleigh quotient is not.
      const power = await powerIteration((v) => oracle.hvp(theta, v), n, {
        start,
        maxIter: iterations,
        tol: 0,
        onNonFinite: 'nan',
      });
      const sharpness = power.norm;
      const direction = power.vector;
      const hMax = scheduledEta(eta, step, options);
      // h = min(c/S, h_max)
      const h = sharpness > 0 && Number.isFinite(sharpness) ? Math.min(options.c / sharpness, hMax) : hMax;

      const field = async (at: Float64Array) => {
        const { loss, grad } = await oracle.grad(at);
        checkGradient(grad, theta);
        const g = pre.update(grad, {}, { eta, theta: at, step }).updates;
        return { loss, grad, k: g.map((x) => -x) };
      };
      const shifted = (k: Float64Array, scale: number) => {
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = theta[i] + scale * k[i];
        return out;
      };
      const first = await field(theta);
      const k1 = first.k;
      const k2 = (await field(shifted(k1, h / 2))).k;
      const k3 = (await field(shifted(k2, h / 2))).k;
      const k4 = (await field(shifted(k3, h))).k;
      const next = new Float64Array(n);
      // θ⁺ = θ + h/6 (k₁ + 2k₂ + 2k₃ + k₄)
      for (let i = 0; i < n; i++) next[i] = theta[i] + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
      return {
        theta: next,
        state: { time: state.time + h, h, sharpness, direction: Float64Array.from(direction) },
        loss: first.loss,
        gradNorm: l2Norm(first.grad),
      };
    },
  };
}

/** The `optimizer/flow` component. */
export const flowOptimizer = defineOptimizer<FlowOptions>({
  name: 'flow',
  summary: 'Gradient flow by RK4 with step h = min(c/S(θ), η); η is the largest step',
  description:
    'dθ/dt = −∇L(θ) integrated by classical RK4 with h = min(c/S(θ), η), S(θ) by warm-started power iteration on ' +
    'the Hessian (Cohen et al. 2021). η is h_max, not a GD learning rate; state.time is the flow time. ' +
    '4 gradients and `powerIterations` HVPs per step.',
  options: flowOptions,
  create: (options) => flow(options),
});
