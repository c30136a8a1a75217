import { ParamLayout, Rng } from '@biaslab/core';
import type { DataSplit, Graph } from '@biaslab/core';
import { GraphBuilder, attr } from '@biaslab/onnx';

/**
 * Test fixture: a tanh MLP with PyTorch's [out, in] weights and one hidden layer per entry of `hidden`
 * (none gives the linear model f = x Wᵀ + b), written by hand so the runtime tests are independent of the
 * model plugins. `activation` picks the hidden nonlinearity.
 */
export function mlpGraph(
  inDim: number,
  hidden: readonly number[],
  out: number,
  activation = 'Tanh',
): { graph: Graph; layout: ParamLayout } {
  const g = new GraphBuilder('mlp');
  let h = g.addInput('x', 'float64', ['N', inDim]);
  const slots: { name: string; shape: number[] }[] = [];
  const widths = [inDim, ...hidden, out];
  for (let l = 1; l < widths.length; l++) {
    const name = l === widths.length - 1 ? 'out' : `fc${l}`;
    const w = g.addInput(`${name}.weight`, 'float64', [widths[l], widths[l - 1]]);
    const b = g.addInput(`${name}.bias`, 'float64', [widths[l]]);
    slots.push({ name: w, shape: [widths[l], widths[l - 1]] }, { name: b, shape: [widths[l]] });
    const z = g.op('Gemm', [h, w, b], { transB: attr.int(1) }, name === 'out' ? 'f' : `${name}_z`);
    h = name === 'out' ? z : g.op(activation, [z], {}, `${name}_act`);
  }
  g.addOutput(h, 'float64', ['N', out]);
  return { graph: g.build(), layout: new ParamLayout(slots) };
}

/** n rows of normal inputs with one-hot labels (classification) or normal targets (regression). */
export function randomSplit(rng: Rng, n: number, inDim: number, out: number, oneHot: boolean): DataSplit {
  const y = oneHot ? new Float64Array(n * out) : rng.normals(n * out);
  if (oneHot) for (let i = 0; i < n; i++) y[i * out + rng.int(out)] = 1;
  return {
    x: { dtype: 'float64', shape: [n, inDim], data: rng.normals(n * inDim) },
    y: { dtype: 'float64', shape: [n, out], data: y },
  };
}

/** ⟨a, b⟩. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** ‖a − b‖ / ‖b‖. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-300));
}
