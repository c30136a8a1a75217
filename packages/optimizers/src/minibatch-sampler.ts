import { Rng } from '@biaslab/core';

/** Where a sampler is in its stream: epochs started, position inside the epoch, the epoch's shuffle seed. */
export interface SamplerState {
  readonly epoch: number;
  readonly position: number;
  readonly epochSeed: number;
}

/** The state before the first batch. */
export const initialSamplerState: SamplerState = { epoch: 0, position: 0, epochSeed: 0 };

/**
 * Draws minibatches of row indices from {0, …, n − 1}. Without replacement (the default) every epoch is a fresh
 * seeded permutation cut into consecutive batches of B (the last one holds the n mod B left over); with
 * replacement each batch is B independent uniform draws. Indices are returned sorted (a batch is a set; sorted
 * rows gather faster). The permutation is a function of a seed kept in the state, drawn from the step's rng
 * when an epoch starts, so the state stays small and a resumed run reproduces its batches.
 */
export class MinibatchSampler {
  private cached: { seed: number; n: number; order: number[] } | undefined;

  constructor(
    readonly batchSize: number,
    readonly replacement: boolean,
  ) {}

  next(state: SamplerState, n: number, rng: Rng): { indices: number[]; state: SamplerState } {
    const b = Math.min(this.batchSize, n);
    if (this.replacement) {
      const indices = Array.from({ length: b }, () => rng.int(n)).sort((x, y) => x - y);
      const drawn = state.position + b;
      return { indices, state: { epoch: Math.floor(drawn / n), position: drawn, epochSeed: 0 } };
    }
    let { epoch, position, epochSeed } = state;
    if (position === 0) {
      epoch += 1;
      epochSeed = rng.nextUint32();
    }
    const order = this.order(epochSeed, n);
    const indices = order.slice(position, position + b).sort((x, y) => x - y);
    position += b;
    if (position >= n) position = 0;
    return { indices, state: { epoch, position, epochSeed } };
  }

  private order(seed: number, n: number): number[] {
    if (!this.cached || this.cached.seed !== seed || this.cached.n !== n) {
      this.cached = { seed, n, order: new Rng(seed).permutation(n) };
    }
    return this.cached.order;
  }
}
