import { BiaslabError } from '@biaslab/core';
import type { FloatDType, Graph } from '@biaslab/core';
import { inferTypes } from '@biaslab/onnx';
import { OPS } from '@biaslab/autodiff';

/**
 * How much more memory a derived graph holds per row than the forward pass: the HVP graph keeps the
 * forward activations, their cotangents, and the tangents of both (≈ 4×); used to turn a byte budget into
 * a number of rows.
 */
export const DERIVED_GRAPH_FACTOR = 4;

/** What bounds the rows evaluated in one run. */
export interface ChunkBounds {
  /** At most this many rows per run. */
  readonly maxChunkRows?: number;
  /** At most this many bytes of per-row intermediate values per run (an estimate; see `bytesPerRow`). */
  readonly memoryBytes?: number;
}

/**
 * Estimated bytes of intermediate values one data row adds to a derived graph: the elements of every value
 * of the loss graph at two rows minus those at one row (what scales with the batch; parameters cancel),
 * times the element size and `DERIVED_GRAPH_FACTOR`. `lossGraphAt(rows)` builds the loss graph for `rows`.
 */
export function bytesPerRow(lossGraphAt: (rows: number) => Graph, dtype: FloatDType): number {
  const elements = (g: Graph) => {
    let total = 0;
    for (const t of inferTypes(g, OPS).values()) total += t.shape.reduce((a, b) => a * b, 1);
    return total;
  };
  const perRow = Math.max(1, elements(lossGraphAt(2)) - elements(lossGraphAt(1)));
  return perRow * (dtype === 'float64' ? 8 : 4) * DERIVED_GRAPH_FACTOR;
}

/**
 * Rows per chunk for n samples: the smallest of n, `maxChunkRows` and ⌊memoryBytes / rowBytes⌋. Throws
 * `INVALID_OPTIONS` for a bound below one row.
 */
export function chunkRows(n: number, bounds: ChunkBounds, rowBytes: () => number): number {
  let rows = n;
  if (bounds.maxChunkRows !== undefined) {
    if (!Number.isInteger(bounds.maxChunkRows) || bounds.maxChunkRows < 1) {
      throw new BiaslabError(
        'INVALID_OPTIONS',
        `\`maxChunkRows\` must be a positive integer; received \`${bounds.maxChunkRows}\``,
      );
    }
    rows = Math.min(rows, bounds.maxChunkRows);
  }
  if (bounds.memoryBytes !== undefined) {
    const perRow = rowBytes();
    const fit = Math.floor(bounds.memoryBytes / perRow);
    if (!(fit >= 1)) {
      throw new BiaslabError(
        'INVALID_OPTIONS',
        `\`memoryBytes\` = ${bounds.memoryBytes} is below one row of this model (≈ ${perRow} bytes per row in the derived graphs); raise it to at least ${perRow}`,
      );
    }
    rows = Math.min(rows, fit);
  }
  return Math.max(1, rows);
}

/** [start, rows] of each chunk of `chunk` rows covering n rows; the last one may be shorter. */
export function chunkRanges(n: number, chunk: number): (readonly [number, number])[] {
  const ranges: (readonly [number, number])[] = [];
  for (let start = 0; start < n; start += chunk) ranges.push([start, Math.min(chunk, n - start)]);
  return ranges;
}
