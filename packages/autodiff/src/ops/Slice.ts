import { BiaslabError } from '@biaslab/core';
import { normAxis } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import type { Emitter } from '../emitter';
import { defineOp } from '../op-definition';

/** What a Slice keeps along one axis: `count` elements from `start` in steps of `step` (negative: backwards). */
export interface SliceRange {
  readonly start: number;
  readonly step: number;
  readonly count: number;
}

/**
 * Resolves Slice's `starts`/`ends`/`axes`/`steps` (negative indices count from the end; out-of-range values
 * are clamped as ONNX specifies) into one range per axis of a tensor of shape `shape`.
 */
export function sliceRanges(
  shape: readonly number[],
  starts: readonly number[],
  ends: readonly number[],
  axes?: readonly number[],
  steps?: readonly number[],
): SliceRange[] {
  const r = shape.length;
  const ranges: SliceRange[] = shape.map((d) => ({ start: 0, step: 1, count: d }));
  starts.forEach((s0, j) => {
    const ax = normAxis(axes ? axes[j] : j, r);
    const d = shape[ax];
    const step = steps ? steps[j] : 1;
    const clampS = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
    const start = step > 0 ? clampS(s0, 0, d) : clampS(s0, -1, d - 1);
    const end = step > 0 ? clampS(ends[j], 0, d) : clampS(ends[j], -1, d - 1);
    const count = Math.max(0, Math.ceil((end - start) / step));
    ranges[ax] = { start, step, count };
  });
  return ranges;
}

/**
 * Scatters the cotangent `g` of a slice back into zeros of shape `shape`: per sliced axis, a negative step is
 * undone by reversing (a step −1 Slice), a step |s| > 1 by interleaving s − 1 zeros (Reshape, Pad, Reshape);
 * one final zero Pad (negative amounts crop the interleaved tail) places the block. Only Slice, Reshape and
 * Pad are emitted, so the result can be differentiated again.
 */
export function unslice(
  e: Emitter,
  g: string,
  shape: readonly number[],
  ranges: readonly SliceRange[],
): string {
  const dtype = e.type(g).dtype;
  if (ranges.some((r) => r.count === 0)) return e.expand(e.scalar(0, dtype), shape);
  const begin = new Array<number>(shape.length).fill(0);
  const end = new Array<number>(shape.length).fill(0);
  let out = g;
  ranges.forEach(({ start, step, count }, ax) => {
    if (step === 1 && start === 0 && count === shape[ax]) return;
    let lo = start;
    if (step < 0) {
      // reversed, the kept elements are lo, lo + |step|, … in increasing order
      out = e.op('Slice', [out, e.int64s([-1]), e.int64s([-(count + 1)]), e.int64s([ax]), e.int64s([-1])]);
      lo = start + (count - 1) * step;
    }
    const s = Math.abs(step);
    if (s > 1) {
      const cur = e.type(out).shape;
      const split = [...cur.slice(0, ax + 1), 1, ...cur.slice(ax + 1)];
      const pads = new Array<number>(2 * split.length).fill(0);
      pads[split.length + ax + 1] = s - 1;
      const spread = e.op('Pad', [e.reshape(out, split), e.int64s(pads)]);
      out = e.reshape(
        spread,
        cur.map((d, i) => (i === ax ? d * s : d)),
      );
    }
    begin[ax] = lo;
    end[ax] = shape[ax] - lo - count * s;
  });
  if (begin.every((b) => b === 0) && end.every((a) => a === 0)) return out;
  return e.op('Pad', [out, e.int64s([...begin, ...end])]);
}

/** y = x[starts:ends:steps] on `axes`: the counts per axis (known starts/ends/axes/steps inputs). */
const sliceShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const starts = ctx.known(1, 'starts');
  const ends = ctx.known(2, 'ends');
  const axes = ctx.has(3) ? ctx.known(3, 'axes') : undefined;
  const steps = ctx.has(4) ? ctx.known(4, 'steps') : undefined;
  const ranges = sliceRanges(x.shape, starts, ends, axes, steps);
  const shape = ranges.map((rg) => rg.count);
  // a slice of a known 1-D int tensor (a shape) stays known
  const value =
    x.shape.length === 1 && x.value
      ? Array.from({ length: ranges[0].count }, (_, i) => x.value![ranges[0].start + i * ranges[0].step])
      : undefined;
  return [{ dtype: x.dtype, shape, ...(value ? { value } : {}) }];
};

/**
 * y = x[starts:ends:steps] on `axes` (inputs, opset 10 on; negative indices, clamping and negative steps as
 * ONNX specifies)  ⇒  x̄ = ȳ scattered into zeros at the selected positions (see `unslice`).
 */
export const Slice = defineOp({
  op: 'Slice',
  shape: sliceShape,
  vjp: [
    {
      since: 10,
      samples: [
        { label: 'unit steps', inputs: [{ float: [4, 5] }, { int64: [1, 0] }, { int64: [3, 4] }] },
        {
          label: 'negative indices and axes',
          inputs: [{ float: [3, 6] }, { int64: [-4] }, { int64: [-1] }, { int64: [-1] }],
        },
        {
          label: 'step 2 and clamped end',
          inputs: [{ float: [2, 7] }, { int64: [1] }, { int64: [100] }, { int64: [1] }, { int64: [2] }],
        },
        {
          label: 'negative step 3',
          inputs: [{ float: [8, 2] }, { int64: [-1] }, { int64: [0] }, { int64: [0] }, { int64: [-3] }],
        },
        {
          label: 'reverse two axes',
          inputs: [
            { float: [3, 4] },
            { int64: [10, 2] },
            { int64: [-10, 0] },
            { int64: [0, 1] },
            { int64: [-1, -1] },
          ],
        },
      ],
      vjp: (ctx) => {
        const { e, node } = ctx;
        const [x, starts, ends, axes, steps] = node.inputs;
        const known = (name: string | undefined, what: string) => {
          if (!name) return undefined;
          const v = ctx.type(name).value;
          if (!v)
            throw new BiaslabError(
              'SHAPE',
              `\`Slice\` at node \`${node.name}\` takes ${what} from \`${name}\`, which is not a constant; differentiation needs constant slice bounds.`,
            );
          return v;
        };
        const shape = ctx.type(x).shape;
        const ranges = sliceRanges(
          shape,
          known(starts, 'starts')!,
          known(ends, 'ends')!,
          known(axes, 'axes'),
          known(steps, 'steps'),
        );
        return [() => unslice(e, ctx.g, shape, ranges)];
      },
    },
  ],
});
