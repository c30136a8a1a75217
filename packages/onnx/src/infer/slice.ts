import type { ValueType } from '../infer';
import { normAxis } from './attributes';

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

/** The type of a Slice's output (with contents when slicing a known 1-D int tensor). */
export function sliceType(
  x: ValueType,
  starts: readonly number[],
  ends: readonly number[],
  axes?: readonly number[],
  steps?: readonly number[],
): ValueType {
  const ranges = sliceRanges(x.shape, starts, ends, axes, steps);
  const shape = ranges.map((rg) => rg.count);
  const value =
    x.shape.length === 1 && x.value
      ? Array.from({ length: ranges[0].count }, (_, i) => x.value![ranges[0].start + i * ranges[0].step])
      : undefined;
  return { dtype: x.dtype, shape, ...(value ? { value } : {}) };
}
