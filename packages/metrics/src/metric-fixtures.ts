import { ParamLayout, Rng, createMetricMemory, parseOptions } from '@biaslab/core';
import type { Dataset, MetricComponent, MetricContext, Oracle } from '@biaslab/core';

/**
 * A metric context over a flat layout `w` of `theta.length` trained parameters with a regression dataset of one
 * sample and no model graph: enough for every metric that reads θ, the objective and memory. Test fixture.
 */
export function flatContext(
  theta: Float64Array,
  train: Oracle,
  overrides: Partial<MetricContext> = {},
): MetricContext {
  const layout = new ParamLayout([{ name: 'w', shape: [theta.length] }]);
  const empty = { dtype: 'float64', shape: [1, theta.length], data: new Float64Array(theta.length) } as const;
  const target = { dtype: 'float64', shape: [1, 1], data: new Float64Array(1) } as const;
  const dataset: Dataset = {
    task: 'regression',
    inputShape: [theta.length],
    outputSize: 1,
    train: { x: empty, y: target },
    provenance: 'fixture',
  };
  return {
    theta,
    layout,
    model: {
      graph: { name: 'fixture', opset: 17, inputs: [], outputs: [], initializers: [], nodes: [] },
      layout,
      init: theta,
    },
    dataset,
    train,
    eta: 0.1,
    step: 0,
    rng: new Rng(7),
    memory: createMetricMemory(),
    ...overrides,
  };
}

/** Parses raw options with the component's schema and computes the metric once. */
export async function runMetric(
  component: MetricComponent,
  context: MetricContext,
  raw: unknown = {},
): Promise<Record<string, number>> {
  const options = parseOptions(component.options, raw, `metric/${component.name}`);
  return component.create(options).compute(context);
}

/**
 * The unshared diagonal linear network on one sample, θ = (u, v), β = u⊙v, L(θ) = ½(⟨x, u⊙v⟩ − y)², with
 * its exact gradient and HVP in closed form: with r = ⟨x, u⊙v⟩ − y, g = (x⊙v, x⊙u) = ∂r/∂θ,
 * ∇L = r·g and ∇²L = g gᵀ + r·[[0, diag x], [diag x, 0]]. Rescaling (uᵢ, vᵢ) ↦ (cᵢuᵢ, vᵢ/cᵢ) leaves L unchanged.
 * The Gauss–Newton part is g gᵀ. Counts products in `hvps()`.
 */
export function unsharedDiagonalOracle(
  x: Float64Array,
  y: number,
): Oracle & {
  hvps(): number;
  ggnvp(theta: Float64Array, w: Float64Array): Promise<Float64Array>;
} {
  const d = x.length;
  let hvps = 0;
  const residual = (t: Float64Array): number => {
    let s = -y;
    for (let i = 0; i < d; i++) s += x[i] * t[i] * t[d + i];
    return s;
  };
  const g = (t: Float64Array): Float64Array => {
    const out = new Float64Array(2 * d);
    for (let i = 0; i < d; i++) {
      out[i] = x[i] * t[d + i];
      out[d + i] = x[i] * t[i];
    }
    return out;
  };
  const gDot = (t: Float64Array, w: Float64Array): { grad: Float64Array; s: number } => {
    const grad = g(t);
    let s = 0;
    for (let i = 0; i < 2 * d; i++) s += grad[i] * w[i];
    return { grad, s };
  };
  return {
    size: 2 * d,
    loss: async (t) => 0.5 * residual(t) ** 2,
    grad: async (t) => ({ loss: 0.5 * residual(t) ** 2, grad: g(t).map((gi) => gi * residual(t)) }),
    hvp: async (t, w) => {
      hvps++;
      const r = residual(t);
      const { grad, s } = gDot(t, w);
      const out = grad.map((gi) => gi * s);
      for (let i = 0; i < d; i++) {
        out[i] += r * x[i] * w[d + i];
        out[d + i] += r * x[i] * w[i];
      }
      return out;
    },
    ggnvp: async (t, w) => {
      const { grad, s } = gDot(t, w);
      return grad.map((gi) => gi * s);
    },
    hvps: () => hvps,
  };
}
