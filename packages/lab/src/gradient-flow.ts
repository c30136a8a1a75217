import type { Oracle } from '@biaslab/core';
import type { FlowRow, RunStatus } from '@biaslab/results';
import { finiteOrNull } from './metric-evaluator';
import { RunInterrupted } from './run';

/** Settings of the gradient-flow integrator. */
export interface GradientFlowSettings {
  /** Stop once L(θ(t)) < ε. */
  readonly epsilon: number;
  /**
   * Step-size factor: h = min(c / S(θ), hMax). RK4 is stable for h·S ≲ 2.78; c = 0.25 (an eighth of GD's
   * 2/S) keeps the error of the one-point diagonal network's flow limit below 1e-6 relative.
   */
  readonly c: number;
  /**
   * Largest step. It matters where S passes near 0 (a negative and a positive Hessian eigenvalue crossing)
   * while the curvature still changes fast; 0.05 flow-time units suit losses of order 1.
   */
  readonly hMax: number;
  /** Re-estimate S every this many steps (1 = every step, the default for small models). */
  readonly sharpnessEvery: number;
  /** Step cap; reaching it labels the result `capped`. */
  readonly maxSteps: number;
  /** Flow-time cap; reaching it labels the result `capped`. */
  readonly maxTime: number;
}

/** Defaults for `GradientFlowSettings`. */
export const GRADIENT_FLOW_DEFAULTS: GradientFlowSettings = {
  epsilon: 1e-8,
  c: 0.25,
  hMax: 0.05,
  sharpnessEvery: 1,
  maxSteps: 1_000_000,
  maxTime: 1e6,
};

/** What the gradient-flow reference returns. */
export interface GradientFlowResult {
  readonly status: RunStatus;
  readonly reason: string;
  /** s_GF = max S(θ(t)) over the estimates along the path up to t_ε (or the cap). */
  readonly sGF: number;
  /** η_c = 2 / s_GF. */
  readonly etaC: number;
  /**
   * S at the flow's last iterate, S(θ_GF(t_ε)) for a converged flow: what flow-aligned GD runs end near. It is
   * s_GF when the flow sharpens to the end (MSE) and below it when S peaks mid-path (cross-entropy).
   */
  readonly sFinal: number;
  /** First integration time with L < ε; null when the flow did not get there. */
  readonly tEps: number | null;
  readonly steps: number;
  readonly loss: number;
  readonly theta: Float64Array;
  /** The whole path (one row per step). */
  readonly series: readonly FlowRow[];
  readonly seconds: number;
}

/** Inputs of `gradientFlow`. */
export interface GradientFlowOptions {
  readonly oracle: Oracle;
  readonly theta0: Float64Array;
  /** S(θ) = max |λ(∇²L(θ))|, injected by the caller (the lab does not know any metric). */
  readonly sharpness: (theta: Float64Array) => Promise<number>;
  readonly settings?: Partial<GradientFlowSettings>;
  /** Receives each path row as it is made. */
  readonly onRow?: (row: FlowRow) => void;
  /** When aborted, the flow stops after the current step by throwing `RunInterrupted`. */
  readonly signal?: AbortSignal;
}

/**
 * The gradient-flow reference dθ/dt = −∇L(θ), integrated with classical RK4 (Runge, Kutta 1901) at step
 * h = min(c/S(θ), h_max), with S re-estimated along the path as Cohen et al. (2021) do for their flow runs.
 * Returns s_GF = max_{t ≤ t_ε} S(θ(t)) and η_c = 2/s_GF (Matveev et al. 2025). The maximum is over the points
 * where S was estimated; with `sharpnessEvery` = 1 that is every step, and S is always estimated at θ₀ and at
 * the final θ.
 */
export async function gradientFlow(options: GradientFlowOptions): Promise<GradientFlowResult> {
  const settings = { ...GRADIENT_FLOW_DEFAULTS, ...options.settings };
  const { oracle } = options;
  const started = performance.now();
  const series: FlowRow[] = [];
  const push = (row: FlowRow) => {
    series.push(row);
    options.onRow?.(row);
  };
  const estimate = async (theta: Float64Array) => Math.abs(await options.sharpness(theta));

  const n = oracle.size;
  let theta = Float64Array.from(options.theta0);
  let { loss, grad } = await oracle.grad(theta);
  let s = await estimate(theta);
  let sMax = Number.isFinite(s) ? s : 0;
  let t = 0;
  let step = 0;
  let h = stepSize(s, settings);
  push({ type: 'flow', step, t, loss: finiteOrNull(loss), sharpness: finiteOrNull(s), h });

  const stage = new Float64Array(n);
  let status: RunStatus;
  let reason: string;
  let tEps: number | null = null;
  for (;;) {
    if (options.signal?.aborted) throw new RunInterrupted(step);
    if (!Number.isFinite(loss)) {
      status = 'diverged';
      reason = `flow loss became ${loss} at t = ${t}`;
      break;
    }
    if (loss < settings.epsilon) {
      status = 'converged';
      reason = `loss < ε = ${settings.epsilon} at t = ${round(t)}`;
      tEps = t;
      break;
    }
    if (step >= settings.maxSteps || t >= settings.maxTime) {
      status = 'capped';
      reason = `flow ${step >= settings.maxSteps ? `step cap ${settings.maxSteps}` : `time cap ${settings.maxTime}`} reached with loss ${loss}`;
      break;
    }
    h = stepSize(s, settings);
    // k₁ = −∇L(θ), k₂ = −∇L(θ + h/2·k₁), k₃ = −∇L(θ + h/2·k₂), k₄ = −∇L(θ + h·k₃); θ ← θ + h/6·(k₁ + 2k₂ + 2k₃ + k₄)
    const k1 = grad;
    for (let i = 0; i < n; i++) stage[i] = theta[i] - (h / 2) * k1[i];
    const k2 = (await oracle.grad(stage)).grad;
    for (let i = 0; i < n; i++) stage[i] = theta[i] - (h / 2) * k2[i];
    const k3 = (await oracle.grad(stage)).grad;
    for (let i = 0; i < n; i++) stage[i] = theta[i] - h * k3[i];
    const k4 = (await oracle.grad(stage)).grad;
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = theta[i] - (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    theta = next;
    t += h;
    step += 1;
    ({ loss, grad } = await oracle.grad(theta));
    const due = step % settings.sharpnessEvery === 0 || loss < settings.epsilon;
    if (due) {
      s = await estimate(theta);
      if (Number.isFinite(s)) sMax = Math.max(sMax, s);
    }
    push({
      type: 'flow',
      step,
      t,
      loss: finiteOrNull(loss),
      ...(due ? { sharpness: finiteOrNull(s) } : {}),
      h,
    });
  }
  if (step % settings.sharpnessEvery !== 0 && status !== 'converged') {
    s = await estimate(theta);
    if (Number.isFinite(s)) sMax = Math.max(sMax, s);
  }
  return {
    status,
    reason,
    sGF: sMax,
    etaC: 2 / sMax,
    sFinal: s,
    tEps,
    steps: step,
    loss,
    theta,
    series,
    seconds: (performance.now() - started) / 1000,
  };
}

function stepSize(s: number, settings: GradientFlowSettings): number {
  return s > 0 && Number.isFinite(s) ? Math.min(settings.c / s, settings.hMax) : settings.hMax;
}

function round(t: number): number {
  return Number(t.toPrecision(6));
}
