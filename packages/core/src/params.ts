import { BiaslabError } from './errors';
import { sizeOf } from './tensor';

/** One named, shaped parameter tensor inside a flat vector. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** Trained parameters move; frozen ones stay at their initial value (their gradient is not used). */
  readonly trainable?: boolean;
}

/** A parameter's place in the flat vector. */
export interface ParamSlot extends ParamSpec {
  readonly offset: number;
  readonly size: number;
}

/**
 * The layout of a flat parameter vector θ: named, shaped slots laid end to end in declaration order.
 * Optimizers and metrics see θ as one Float64Array; models, the runtime and per-layer metrics read slots
 * through `view`, which shares memory with θ.
 */
export class ParamLayout {
  readonly slots: readonly ParamSlot[];
  readonly size: number;
  private readonly byName: Map<string, ParamSlot>;

  constructor(specs: readonly ParamSpec[]) {
    let offset = 0;
    const slots: ParamSlot[] = [];
    this.byName = new Map();
    for (const spec of specs) {
      if (this.byName.has(spec.name)) {
        throw new BiaslabError('SHAPE', `Parameter \`${spec.name}\` is declared twice in one layout`);
      }
      const size = sizeOf(spec.shape);
      const slot: ParamSlot = {
        ...spec,
        shape: [...spec.shape],
        trainable: spec.trainable ?? true,
        offset,
        size,
      };
      slots.push(slot);
      this.byName.set(spec.name, slot);
      offset += size;
    }
    this.slots = slots;
    this.size = offset;
  }

  /** Names in layout order. */
  get names(): string[] {
    return this.slots.map((s) => s.name);
  }

  /** The slot of `name`, or a clear error listing the names that exist. */
  slot(name: string): ParamSlot {
    const slot = this.byName.get(name);
    if (!slot) {
      throw new BiaslabError('SHAPE', `No parameter \`${name}\`; parameters: ${this.names.join(', ')}`);
    }
    return slot;
  }

  /** A view of parameter `name` inside `theta` (shares memory). */
  view<T extends Float64Array | Float32Array>(theta: T, name: string): T {
    this.assertSized(theta);
    const s = this.slot(name);
    return theta.subarray(s.offset, s.offset + s.size) as T;
  }

  /** A zero vector of the layout's size. */
  zeros(): Float64Array {
    return new Float64Array(this.size);
  }

  /** Packs named arrays into a new flat vector; every parameter must be given with the right size. */
  pack(values: Readonly<Record<string, ArrayLike<number>>>): Float64Array {
    const theta = this.zeros();
    for (const s of this.slots) {
      const v = values[s.name];
      if (!v) throw new BiaslabError('SHAPE', `Missing value for parameter \`${s.name}\``);
      if (v.length !== s.size) {
        throw new BiaslabError(
          'SHAPE',
          `Parameter \`${s.name}\` needs ${s.size} values, received ${v.length}`,
        );
      }
      theta.set(v, s.offset);
    }
    return theta;
  }

  /** A 0/1 mask over θ: 1 where the parameter is trained. */
  trainableMask(): Float64Array {
    const mask = this.zeros();
    for (const s of this.slots) if (s.trainable !== false) mask.fill(1, s.offset, s.offset + s.size);
    return mask;
  }

  assertSized(theta: ArrayLike<number>): void {
    if (theta.length !== this.size) {
      throw new BiaslabError(
        'SHAPE',
        `Parameter vector has ${theta.length} entries; the layout needs ${this.size}`,
      );
    }
  }
}
