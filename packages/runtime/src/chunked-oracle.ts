import { BiaslabError } from '@biaslab/core';
import type { LossKind, ParamLayout, Tensor } from '@biaslab/core';
import { BatchEvaluator } from './batch-evaluator';
import type { EvaluatorSpec, GraphKind } from './batch-evaluator';
import { chunkRanges } from './chunk-plan';
import { DATA_INPUT, LOSS_OUTPUT, TARGET_INPUT } from './loss-head';
import { ParamFeeds } from './param-feeds';
import type { BatchOracle } from './objective';

/** A run of consecutive rows: its evaluator (normalised by all rows of the batch) and its data feeds. */
export interface Chunk {
  readonly evaluator: BatchEvaluator;
  readonly data: Record<string, Tensor>;
}

/**
 * What every oracle of one objective shares: evaluators compiled once per (chunk rows, batch rows), the
 * parameter and tangent feed buffers, and the sums over chunks.
 */
export class ChunkedEvaluation {
  readonly layout: ParamLayout;
  private readonly evaluators = new Map<string, BatchEvaluator>();
  private readonly thetaFeeds: ParamFeeds;
  private readonly tangentFeeds: ParamFeeds;
  private readonly productOutputs: Record<'hvp' | 'ggnvp', readonly string[]>;

  constructor(
    private readonly spec: EvaluatorSpec,
    readonly rowsPerChunk: number,
  ) {
    this.layout = spec.model.layout;
    this.thetaFeeds = new ParamFeeds(this.layout, spec.dtype, this.layout.names);
    this.tangentFeeds = new ParamFeeds(this.layout, spec.dtype, spec.wrt, 'tangent/');
    this.productOutputs = {
      hvp: spec.wrt.map((p) => `hvp/${p}`),
      ggnvp: spec.wrt.map((p) => `ggnvp/${p}`),
    };
  }

  /** Chunks of the rows of x and y (views, no copies), each with its evaluator normalised by all rows. */
  chunksOf(x: Tensor, y: Tensor): Chunk[] {
    const rows = x.shape[0];
    return chunkRanges(rows, this.rowsPerChunk).map(([start, count]) => ({
      evaluator: this.evaluatorFor(count, rows),
      data: { [DATA_INPUT]: rowSlice(x, start, count), [TARGET_INPUT]: rowSlice(y, start, count) },
    }));
  }

  /** Runs `kind` on every chunk with θ (and v) leased into feed buffers, handing each result to `take`. */
  async run(
    chunks: readonly Chunk[],
    kind: GraphKind,
    theta: Float64Array,
    v: Float64Array | undefined,
    outputs: readonly string[] | undefined,
    take: (outs: Record<string, Tensor>, first: boolean) => void,
  ): Promise<void> {
    const p = this.thetaFeeds.lease(theta);
    const t = v ? this.tangentFeeds.lease(v) : undefined;
    try {
      for (let i = 0; i < chunks.length; i++) {
        const c = chunks[i];
        take(await c.evaluator.run(kind, { ...c.data, ...p.feeds, ...t?.feeds }, outputs), i === 0);
      }
    } finally {
      p.release();
      t?.release();
    }
  }

  /** acc (+)= the per-parameter outputs `prefix<p>`, set on the first chunk and added after. */
  accumulate(acc: Float64Array, outs: Record<string, Tensor>, prefix: string, first: boolean): void {
    for (const name of this.spec.wrt) {
      const src = outs[prefix + name].data as Float64Array | Float32Array;
      const offset = this.layout.slot(name).offset;
      if (first) acc.set(src, offset);
      else for (let i = 0; i < src.length; i++) acc[offset + i] += src[i];
    }
  }

  /** A matrix-vector product graph (`hvp/<p>` or `ggnvp/<p>` outputs) summed over the chunks. */
  async product(
    chunks: readonly Chunk[],
    kind: 'hvp' | 'ggnvp',
    theta: Float64Array,
    v: Float64Array,
  ): Promise<Float64Array> {
    this.layout.assertSized(v);
    const out = this.layout.zeros();
    await this.run(chunks, kind, theta, v, this.productOutputs[kind], (outs, first) =>
      this.accumulate(out, outs, `${kind}/`, first),
    );
    return out;
  }

  private evaluatorFor(rows: number, normalizer: number): BatchEvaluator {
    const key = `${rows}/${normalizer}`;
    let e = this.evaluators.get(key);
    if (!e) this.evaluators.set(key, (e = new BatchEvaluator(this.spec, rows, normalizer)));
    return e;
  }
}

/**
 * The oracle over the rows x, y (chunked as `chunks`): loss, gradient, HVP (refused when the objective was
 * made with `hvp: false`), the fused loss+gradient+HVP, GGN products, and the same loss against other targets.
 */
export function chunkedOracle(
  engine: ChunkedEvaluation,
  x: Tensor,
  y: Tensor,
  settings: { readonly loss: LossKind; readonly hvp?: boolean },
  chunks: readonly Chunk[] = engine.chunksOf(x, y),
): BatchOracle {
  const { layout } = engine;
  const requireHvp = () => {
    if (settings.hvp === false) {
      throw new BiaslabError(
        'RUNTIME',
        'This objective was created with `hvp: false`; create it with `hvp: true` to use Hessian-vector products',
      );
    }
  };
  return {
    size: layout.size,
    samples: x.shape[0],
    async loss(theta) {
      let loss = 0;
      await engine.run(chunks, 'loss', theta, undefined, [LOSS_OUTPUT], (outs) => {
        loss += scalar(outs[LOSS_OUTPUT]);
      });
      return loss;
    },
    async grad(theta) {
      let loss = 0;
      const grad = layout.zeros();
      await engine.run(chunks, 'grad', theta, undefined, undefined, (outs, first) => {
        loss += scalar(outs[LOSS_OUTPUT]);
        engine.accumulate(grad, outs, 'grad/', first);
      });
      return { loss, grad };
    },
    async hvp(theta, v) {
      requireHvp();
      return engine.product(chunks, 'hvp', theta, v);
    },
    async hvpWithGrad(theta, v) {
      requireHvp();
      layout.assertSized(v);
      let loss = 0;
      const grad = layout.zeros();
      const hv = layout.zeros();
      await engine.run(chunks, 'loss-grad-hvp', theta, v, undefined, (outs, first) => {
        loss += scalar(outs[LOSS_OUTPUT]);
        engine.accumulate(grad, outs, 'grad/', first);
        engine.accumulate(hv, outs, 'hvp/', first);
      });
      return { loss, grad, hv };
    },
    ggnvp: (theta, v) => engine.product(chunks, 'ggnvp', theta, v),
    targets: {
      loss: settings.loss,
      // A fresh copy on every read: callers may change it without touching the objective's targets.
      get values() {
        return Float64Array.from(y.data as Float64Array | Float32Array);
      },
      async grad(theta, targets) {
        if (targets.length !== y.data.length) {
          throw new BiaslabError(
            'SHAPE',
            `Targets have ${targets.length} entries; the objective's have ${y.data.length} (rows × outputs)`,
          );
        }
        // Rounded to the objective's dtype, as its own targets are.
        const data = y.dtype === 'float32' ? Float32Array.from(targets) : Float64Array.from(targets);
        return chunkedOracle(engine, x, { ...y, data } as Tensor, settings).grad(theta);
      },
    },
  };
}

function scalar(t: Tensor | undefined): number {
  return Number((t!.data as Float64Array)[0]);
}

/** Rows [start, start + count) of a row-major tensor, as a view sharing its buffer. */
function rowSlice(t: Tensor, start: number, count: number): Tensor {
  if (start === 0 && count === t.shape[0]) return t;
  const rowSize = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const data = (t.data as Float64Array | Float32Array).subarray(start * rowSize, (start + count) * rowSize);
  return { dtype: t.dtype, shape: [count, ...t.shape.slice(1)], data } as Tensor;
}
