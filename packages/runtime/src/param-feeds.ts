import type { FloatDType, ParamLayout, Tensor } from '@biaslab/core';

/** A leased set of feed tensors; give it back with `release` once the runs that read it have settled. */
export interface FeedLease {
  readonly feeds: Readonly<Record<string, Tensor>>;
  release(): void;
}

interface BufferSet {
  readonly buffers: readonly (readonly [number, number, Float32Array | Float64Array])[];
  readonly feeds: Record<string, Tensor>;
}

/**
 * Parameter-shaped feed buffers, allocated once and refilled from a flat θ on every evaluation, so a step
 * allocates no parameter-sized input buffers (float32 runs round θ into them on the way in). A buffer set is
 * leased for the duration of one evaluation (all its chunks); concurrent evaluations get their own sets, so
 * a buffer is never refilled while onnxruntime may still read it.
 */
export class ParamFeeds {
  private readonly free: BufferSet[] = [];

  constructor(
    private readonly layout: ParamLayout,
    private readonly dtype: FloatDType,
    private readonly names: readonly string[],
    private readonly prefix = '',
  ) {}

  /** A buffer set holding `values` (a flat vector in layout order), split into one tensor per parameter. */
  lease(values: Float64Array): FeedLease {
    this.layout.assertSized(values);
    const set = this.free.pop() ?? this.allocate();
    for (const [offset, size, buffer] of set.buffers) buffer.set(values.subarray(offset, offset + size));
    let released = false;
    return {
      feeds: set.feeds,
      release: () => {
        if (released) return;
        released = true;
        this.free.push(set);
      },
    };
  }

  private allocate(): BufferSet {
    const buffers: (readonly [number, number, Float32Array | Float64Array])[] = [];
    const feeds: Record<string, Tensor> = {};
    for (const name of this.names) {
      const s = this.layout.slot(name);
      const data = this.dtype === 'float64' ? new Float64Array(s.size) : new Float32Array(s.size);
      buffers.push([s.offset, s.size, data]);
      feeds[this.prefix + name] = { dtype: this.dtype, shape: s.shape, data } as Tensor;
    }
    return { buffers, feeds };
  }
}
