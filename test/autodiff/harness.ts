import { Rng, castFloatTensor, sizeOf } from '@biaslab/core';
import type { AttributeValue, FloatDType, Graph, Tensor } from '@biaslab/core';
import { GraphBuilder, attr, inferNode } from '@biaslab/onnx';
import type { ValueType } from '@biaslab/onnx';
import { OPS, sampleConstant } from '@biaslab/autodiff';
import type { RuleSample, VjpRule } from '@biaslab/autodiff';
import { GraphSession } from '@biaslab/runtime';

/** A float graph input with the range its random values come from. */
export interface FloatSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly range: readonly [number, number];
  readonly signed: boolean;
}

/** A one-node test problem: L = Σₖ ⟨cₖ, head(fₖ(x…))⟩ over the node's float outputs, cₖ fixed random tensors. */
export interface NodeProblem {
  readonly graph: Graph;
  readonly floats: readonly FloatSpec[];
  readonly loss: string;
}

/** Opsets a rule is exercised at: its range clipped to 13…21 (or its last opset for pre-13 forms). */
export function opsetsFor(rule: VjpRule): number[] {
  const hi = Math.min(rule.until ?? 21, 21);
  if (hi < 13) return [hi];
  const lo = Math.max(rule.since, 13);
  return [...new Set([lo, Math.min(Math.max(17, lo), hi), hi])];
}

/** ReduceSum over all axes to a scalar (the same node in every opset). */
function sumAll(g: GraphBuilder, x: string): string {
  return g.op('ReduceSum', [x], { keepdims: attr.int(0) });
}

/**
 * Builds L = ⟨c, head(op(inputs))⟩ for one rule sample; `head` is the identity (first-order check) or tanh
 * (so the Hessian is not trivially zero). Returns undefined when the op's output is not float or its dtype
 * differs from `dtype` (finite differences through a precision change measure rounding, not the rule).
 */
export function nodeProblem(
  rule: VjpRule,
  sample: RuleSample,
  opset: number,
  dtype: FloatDType,
  head: 'linear' | 'tanh',
  rng: Rng,
): NodeProblem | undefined {
  const g = new GraphBuilder(`${rule.op}-${sample.label}`, opset);
  const floats: FloatSpec[] = [];
  const types = new Map<string, ValueType>();
  const inputs = sample.inputs.map((spec, i) => {
    if (spec === null) return '';
    if ('float' in spec) {
      const name = g.addInput(`x${i}`, dtype, spec.float);
      floats.push({
        name,
        shape: spec.float,
        range: spec.range ?? [-1.5, 1.5],
        signed: spec.signed ?? false,
      });
      types.set(name, { dtype, shape: spec.float });
      return name;
    }
    const { tensor, type } = sampleConstant(spec);
    const name = g.constant(tensor, `k${i}`);
    types.set(name, type);
    return name;
  });
  const attributes = { ...(sample.attributes ?? {}) } as Record<string, AttributeValue>;
  // multi-output ops (Split, LayerNormalization, Dropout's mask) get every output shape inference reports
  const node = { op: rule.op, name: 'y', inputs, outputs: ['y'], attributes };
  const outTypes = inferNode(node, types, opset, OPS);
  const ys = g.opMulti(rule.op, inputs, outTypes.length, attributes, 'y');
  if (outTypes[0].dtype !== dtype || floats.length === 0) return undefined;
  const terms = ys.flatMap((y, k) => {
    if (outTypes[k].dtype !== dtype) return [];
    const c = g.constant(randomTensor(rng, dtype, outTypes[k].shape, [-1, 1], false), 'c');
    const h = head === 'tanh' ? g.op('Tanh', [y]) : y;
    return [sumAll(g, g.op('Mul', [h, c]))];
  });
  const loss = terms.reduce((s, t) => g.op('Add', [s, t]));
  g.addOutput(loss, dtype, []);
  return { graph: g.build(), floats, loss };
}

/** A tensor with entries uniform in `range` (negated at random when `signed`). */
export function randomTensor(
  rng: Rng,
  dtype: FloatDType,
  shape: readonly number[],
  range: readonly [number, number],
  signed: boolean,
): Tensor {
  const data = Array.from(
    { length: sizeOf(shape) },
    () => rng.uniformIn(range[0], range[1]) * (signed && rng.uniform() < 0.5 ? -1 : 1),
  );
  return {
    dtype,
    shape: [...shape],
    data: dtype === 'float64' ? Float64Array.from(data) : Float32Array.from(data),
  } as Tensor;
}

/** A standard-normal direction for each spec. */
export function directions(
  rng: Rng,
  dtype: FloatDType,
  specs: readonly { name: string; shape: readonly number[] }[],
): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const s of specs) {
    const data = rng.normals(sizeOf(s.shape));
    out[s.name] = {
      dtype,
      shape: [...s.shape],
      data: dtype === 'float64' ? data : Float32Array.from(data),
    } as Tensor;
  }
  return out;
}

/** x + s·t for each named tensor of `t`. */
export function shifted(
  x: Record<string, Tensor>,
  t: Record<string, Tensor>,
  s: number,
): Record<string, Tensor> {
  const out = { ...x };
  for (const [name, dir] of Object.entries(t)) {
    const base = x[name].data as Float64Array;
    const d = dir.data as Float64Array;
    const data = base.map((v, i) => v + s * d[i]);
    out[name] = { ...x[name], data } as Tensor;
  }
  return out;
}

/** Σ over names of ⟨a[name], b[key(name)]⟩. */
export function dot(
  a: Record<string, Tensor>,
  b: Record<string, Tensor>,
  key: (name: string) => string = (n) => n,
): number {
  let s = 0;
  for (const [name, t] of Object.entries(a)) {
    const u = t.data as Float64Array;
    const v = b[key(name)].data as Float64Array;
    for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  }
  return s;
}

/** |a − b| / max(|a|, |b|, floor). */
export function relErr(a: number, b: number, floor = 1e-3): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

/** ‖a − b‖ / max(‖a‖, ‖b‖, floor) over flat arrays. */
export function relErrVec(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  let d = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    na += a[i] ** 2;
    nb += b[i] ** 2;
  }
  return Math.sqrt(d) / Math.max(Math.sqrt(na), Math.sqrt(nb), floor);
}

/** Runs a session and returns one output's first element as a number. */
export async function scalarOut(
  s: GraphSession,
  feeds: Record<string, Tensor>,
  name: string,
): Promise<number> {
  const out = await s.run(feeds, [name]);
  return Number(out[name].data[0]);
}

/** Concatenates the data of the named outputs into one Float64Array. */
export function flat(out: Record<string, Tensor>, names: readonly string[]): Float64Array {
  return Float64Array.from(names.flatMap((n) => Array.from(out[n].data as Float64Array)));
}

/** The same named tensors in another float precision (float32 rounds). */
export function castAll(x: Record<string, Tensor>, dtype: FloatDType): Record<string, Tensor> {
  return Object.fromEntries(
    Object.entries(x).map(([k, t]) => [k, castFloatTensor(t as Tensor<FloatDType>, dtype)]),
  );
}

/** The same tensors fed as the tangent inputs `tangent/<name>` of an HVP graph. */
export function tangentOf(d: Record<string, Tensor>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(d).map(([k, v]) => [`tangent/${k}`, v]));
}
