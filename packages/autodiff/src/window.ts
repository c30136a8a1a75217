import { BiaslabError } from '@biaslab/core';
import type { GraphNode, Tensor } from '@biaslab/core';
import { attr, intAttr, intsAttr } from '@biaslab/onnx';
import type { Emitter } from './emitter';
import { unslice } from './ops/Slice';
import { convGeometry } from './window-geometry';
import type { ConvGeometry } from './window-geometry';

/**
 * Sliding windows (Conv, MaxPool, AveragePool) as standard ops. Output position o of a window op reads the
 * input at i = o·s + k·d − p_b for each kernel tap k (stride s, dilation d, padding before p_b), per spatial
 * axis. Everything here emits only ops that have VJP rules, so derived graphs can be differentiated again.
 */

/** The resolved window of a node whose input 0 is X [N, C, spatial…]. */
export function windowOf(
  node: GraphNode,
  xShape: readonly number[],
  kernel: readonly number[],
): ConvGeometry {
  const geo = convGeometry(xShape.slice(2), kernel, node.attributes);
  if (geo.out.some((o) => o < 1))
    throw new BiaslabError(
      'SHAPE',
      `\`${node.op}\` at node \`${node.name}\`: the window does not fit the input [${xShape.join(', ')}]`,
    );
  return geo;
}

/** The `kernel_shape` of a pooling node, or a SHAPE error naming the node. */
export function poolKernel(node: GraphNode): readonly number[] {
  const k = intsAttr(node.attributes, 'kernel_shape');
  if (!k)
    throw new BiaslabError(
      'SHAPE',
      `\`${node.op}\` at node \`${node.name}\` has no \`kernel_shape\` attribute`,
    );
  return k;
}

/** The `group` attribute of a Conv node. */
export function convGroup(node: GraphNode): number {
  return intAttr(node.attributes, 'group', 1);
}

/**
 * Padding that makes every window fit exactly: p_b before, and after whatever the last tap needs,
 * (O−1)·s + (K−1)·d + 1 − in − p_b (negative when the input has unread trailing elements: a crop).
 */
export function exactPads(geo: ConvGeometry, spatial: readonly number[]): { begin: number[]; end: number[] } {
  const end = spatial.map(
    (n, i) =>
      (geo.out[i] - 1) * geo.strides[i] + (geo.kernel[i] - 1) * geo.dilations[i] + 1 - n - geo.padBegin[i],
  );
  return { begin: [...geo.padBegin], end };
}

/** `x` padded (constant `fill`, default 0) on the spatial axes by `begin`/`end` (negative amounts crop). */
export function padSpatial(
  e: Emitter,
  x: string,
  begin: readonly number[],
  end: readonly number[],
  fill?: number,
): string {
  if (begin.every((v) => v === 0) && end.every((v) => v === 0)) return x;
  const pads = e.int64s([0, 0, ...begin, 0, 0, ...end]);
  return e.op('Pad', fill === undefined || fill === 0 ? [x, pads] : [x, pads, e.scalarLike(fill, x)]);
}

/** Every kernel tap as a multi-index, in row-major kernel order (the order windows are scanned). */
export function kernelTaps(kernel: readonly number[]): number[][] {
  let taps: number[][] = [[]];
  for (const k of kernel) taps = taps.flatMap((t) => Array.from({ length: k }, (_, j) => [...t, j]));
  return taps;
}

/** The strided Slice ranges reading tap `k` from the exactly padded input (see `exactPads`). */
function tapRanges(geo: ConvGeometry, k: readonly number[]) {
  return k.map((kk, i) => ({ start: kk * geo.dilations[i], step: geo.strides[i], count: geo.out[i] }));
}

/** Tap `k` of an exactly padded input: xpad[n, c, o·s + k·d] of shape [N, C, out…]. */
export function readTap(e: Emitter, xpad: string, geo: ConvGeometry, k: readonly number[]): string {
  const r = tapRanges(geo, k);
  const axes = r.map((_, i) => i + 2);
  return e.op('Slice', [
    xpad,
    e.int64s(r.map((q) => q.start)),
    e.int64s(r.map((q) => q.start + (q.count - 1) * q.step + 1)),
    e.int64s(axes),
    e.int64s(r.map((q) => q.step)),
  ]);
}

/** The transpose of `readTap`: `g` [N, C, out…] placed into zeros shaped like the padded input. */
export function writeTap(
  e: Emitter,
  g: string,
  paddedShape: readonly number[],
  geo: ConvGeometry,
  k: readonly number[],
): string {
  const full = [
    { start: 0, step: 1, count: paddedShape[0] },
    { start: 0, step: 1, count: paddedShape[1] },
    ...tapRanges(geo, k),
  ];
  return unslice(e, g, paddedShape, full);
}

/** A constant float tensor with the dtype of `like` (registered with its type). */
export function constantLike(
  e: Emitter,
  like: string,
  shape: readonly number[],
  values: ArrayLike<number>,
): string {
  const dtype = e.type(like).dtype;
  const data = dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  const name = e.builder.constant({ dtype, shape: [...shape], data } as Tensor, 'window');
  e.types.set(name, { dtype, shape: [...shape] });
  return name;
}

/**
 * Reciprocal window sizes of an AveragePool, [1, 1, out…]: with `count_include_pad` the window clipped to
 * the padded input [−p_b, in + p_e) (a ceil_mode overhang past p_e is not counted), else the number of real
 * input elements it covers. Returns a single number when every window has the same size. (onnxruntime 1.30's
 * kernel drops a ceil_mode window that starts in the end padding while its shape inference keeps it, so it
 * cannot run such a graph; the ONNX shape formula, which keeps the window, is followed here.)
 */
export function averageDivisors(
  geo: ConvGeometry,
  spatial: readonly number[],
  includePad: boolean,
): number | { shape: number[]; values: number[] } {
  const perAxis = spatial.map((n, i) => {
    const [lo, hi] = includePad ? [-geo.padBegin[i], n + geo.padEnd[i]] : [0, n];
    return Array.from({ length: geo.out[i] }, (_, o) => {
      let c = 0;
      for (let k = 0; k < geo.kernel[i]; k++) {
        const at = o * geo.strides[i] + k * geo.dilations[i] - geo.padBegin[i];
        if (at >= lo && at < hi) c++;
      }
      return c;
    });
  });
  let values = [1];
  for (const axis of perAxis) values = values.flatMap((v) => axis.map((c) => v * c));
  if (values.every((v) => v === values[0])) return 1 / values[0];
  // a ceil_mode window lying wholly in the end padding averages nothing: 0, not 0/0
  return { shape: [1, 1, ...geo.out], values: values.map((v) => (v === 0 ? 0 : 1 / v)) };
}

/**
 * X̄ of Y = Conv(X, W): a Conv of the cotangent, upsampled by the strides (s − 1 zeros after each element)
 * and padded by (K−1)·d − p_b before (in + p_b − O·s after; negative amounts crop), with the kernel flipped
 * on its spatial axes and its two channel axes swapped within each group, at dilation d and stride 1:
 * X̄[n, c, i] = Σ_{m, k} Ȳ[n, m, o]·W[m, c, k] over o·s + k·d − p_b = i.
 */
export function convInputGrad(
  e: Emitter,
  g: string,
  w: string,
  geo: ConvGeometry,
  group: number,
  spatial: readonly number[],
): string {
  const [n, m, ...out] = e.type(g).shape;
  const [, cg, ...kernel] = e.type(w).shape;
  const r = out.length;
  let up = g;
  if (geo.strides.some((s) => s > 1)) {
    // [N, M, O₁, 1, O₂, 1, …] padded to [N, M, O₁, s₁, …] interleaves the zeros
    const split = [n, m, ...out.flatMap((o) => [o, 1])];
    const pads = new Array<number>(2 * split.length).fill(0);
    geo.strides.forEach((s, i) => (pads[split.length + 3 + 2 * i] = s - 1));
    up = e.reshape(e.op('Pad', [e.reshape(g, split), e.int64s(pads)]), [
      n,
      m,
      ...out.map((o, i) => o * geo.strides[i]),
    ]);
  }
  up = padSpatial(
    e,
    up,
    kernel.map((k, i) => (k - 1) * geo.dilations[i] - geo.padBegin[i]),
    spatial.map((x, i) => x + geo.padBegin[i] - out[i] * geo.strides[i]),
  );
  const mg = m / group;
  const spatialAxes = kernel.map((_, i) => i + 2);
  let wt: string;
  if (group === 1) wt = e.op('Transpose', [w], { perm: attr.ints([1, 0, ...spatialAxes]) });
  else {
    const grouped = e.reshape(w, [group, mg, cg, ...kernel]);
    const swapped = e.op('Transpose', [grouped], {
      perm: attr.ints([0, 2, 1, ...spatialAxes.map((a) => a + 1)]),
    });
    wt = e.reshape(swapped, [group * cg, mg, ...kernel]);
  }
  const flipped = e.op('Slice', [
    wt,
    e.int64s(kernel.map(() => -1)),
    e.int64s(kernel.map((k) => -(k + 1))),
    e.int64s(spatialAxes),
    e.int64s(kernel.map(() => -1)),
  ]);
  return e.op('Conv', [up, flipped], {
    dilations: attr.ints(geo.dilations),
    group: attr.int(group),
    strides: attr.ints(new Array<number>(r).fill(1)),
    pads: attr.ints(new Array<number>(2 * r).fill(0)),
  });
}

/**
 * W̄ of Y = Conv(X, W): a Conv with the roles of batch and channels swapped, X as [C/G, G·N, in…] against
 * Ȳ as [M, N, out…] in G groups, at stride d and dilation s (the original's swapped), over X padded exactly
 * (see `exactPads`): W̄[m, c, k] = Σ_{n, o} Ȳ[n, m, o]·X[n, c, o·s + k·d − p_b].
 */
export function convWeightGrad(e: Emitter, x: string, g: string, geo: ConvGeometry, group: number): string {
  const [n, c, ...spatial] = e.type(x).shape;
  const [, m, ...out] = e.type(g).shape;
  const r = out.length;
  const spatialAxes = out.map((_, i) => i + 2);
  const { begin, end } = exactPads(geo, spatial);
  const inline = end.every((v) => v >= 0);
  const xp = inline ? x : padSpatial(e, x, begin, end);
  const cg = c / group;
  const mg = m / group;
  let xs: string;
  let gs: string;
  const xSpatial = e.type(xp).shape.slice(2);
  if (group === 1) {
    xs = e.op('Transpose', [xp], { perm: attr.ints([1, 0, ...spatialAxes]) });
    gs = e.op('Transpose', [g], { perm: attr.ints([1, 0, ...spatialAxes]) });
  } else {
    // X [N, G, C/G, …] → [C/G, G, N, …] → [C/G, G·N, …];  Ȳ [N, G, M/G, …] → [G, M/G, N, …] → [M, N, …]
    const xg = e.op('Transpose', [e.reshape(xp, [n, group, cg, ...xSpatial])], {
      perm: attr.ints([2, 1, 0, ...spatialAxes.map((a) => a + 1)]),
    });
    xs = e.reshape(xg, [cg, group * n, ...xSpatial]);
    const gg = e.op('Transpose', [e.reshape(g, [n, group, mg, ...out])], {
      perm: attr.ints([1, 2, 0, ...spatialAxes.map((a) => a + 1)]),
    });
    gs = e.reshape(gg, [m, n, ...out]);
  }
  const pads = inline ? [...begin, ...end] : new Array<number>(2 * r).fill(0);
  const dw = e.op('Conv', [xs, gs], {
    strides: attr.ints(geo.dilations),
    dilations: attr.ints(geo.strides),
    group: attr.int(group),
    pads: attr.ints(pads),
  });
  return e.op('Transpose', [dw], { perm: attr.ints([1, 0, ...spatialAxes]) });
}
