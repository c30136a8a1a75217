import { BiaslabError } from '@biaslab/core';
import { attr, normAxis } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import type { Emitter } from '../emitter';
import { defineOp } from '../op-definition';

/** Per-axis padding of a Pad node: `begin[i]` and `end[i]` elements added (removed when negative) on axis i. */
export interface PadAmounts {
  readonly begin: readonly number[];
  readonly end: readonly number[];
}

/**
 * Resolves Pad's `pads` ([b₁…bₖ, e₁…eₖ] over `axes`, or over all axes when `axes` is absent, opset ≥ 18)
 * into begin/end amounts for every axis of a rank-`rank` tensor.
 */
export function padAmounts(rank: number, pads: readonly number[], axes?: readonly number[]): PadAmounts {
  const ax = axes ? axes.map((a) => normAxis(a, rank)) : [...Array(rank).keys()];
  if (pads.length !== 2 * ax.length) {
    throw new BiaslabError(
      'SHAPE',
      `Pad expects ${2 * ax.length} pad amounts (begin and end for ${ax.length} axes), received ${pads.length}; fix \`pads\`.`,
    );
  }
  const begin = new Array<number>(rank).fill(0);
  const end = new Array<number>(rank).fill(0);
  ax.forEach((a, j) => {
    begin[a] = pads[j];
    end[a] = pads[j + ax.length];
  });
  return { begin, end };
}

/** The shape of `shape` padded by `p`. */
export function paddedShape(shape: readonly number[], p: PadAmounts): number[] {
  return shape.map((d, i) => {
    const n = d + p.begin[i] + p.end[i];
    if (n < 0)
      throw new BiaslabError(
        'SHAPE',
        `Pad removes more than axis ${i} holds (size ${d}, pads ${p.begin[i]}, ${p.end[i]})`,
      );
    return n;
  });
}

/** Slice of `g` on one axis, [from, to) with unit steps (or the reversed range for `reverse`). */
function range(e: Emitter, g: string, ax: number, from: number, to: number, reverse = false): string {
  if (!reverse) return e.op('Slice', [g, e.int64s([from]), e.int64s([to]), e.int64s([ax])]);
  return e.op('Slice', [
    g,
    e.int64s([to - 1]),
    e.int64s([from - 1 - e.type(g).shape[ax]]),
    e.int64s([ax]),
    e.int64s([-1]),
  ]);
}

/** Zero-pads `g` on axis `ax` by `before` and `after`. */
function zeroPad(e: Emitter, g: string, ax: number, before: number, after: number): string {
  if (before === 0 && after === 0) return g;
  const r = e.type(g).shape.length;
  const pads = new Array<number>(2 * r).fill(0);
  pads[ax] = before;
  pads[r + ax] = after;
  return e.op('Pad', [g, e.int64s(pads)]);
}

/**
 * Backward of one axis of an edge or reflect Pad that added `b` before and `a` after an axis of size `d`:
 * the centre block plus the border blocks folded back onto the elements they copied (edge: summed onto the
 * first/last element; reflect: reversed onto elements 1…b and d−1−a…d−2).
 */
function foldAxis(
  e: Emitter,
  g: string,
  ax: number,
  b: number,
  a: number,
  d: number,
  reflect: boolean,
): string {
  let x = range(e, g, ax, b, b + d);
  if (b > 0) {
    const left = reflect
      ? zeroPad(e, range(e, g, ax, 0, b, true), ax, 1, d - 1 - b)
      : zeroPad(e, e.reduceSum(range(e, g, ax, 0, b), [ax], true), ax, 0, d - 1);
    x = e.op('Add', [x, left]);
  }
  if (a > 0) {
    const right = reflect
      ? zeroPad(e, range(e, g, ax, b + d, b + d + a, true), ax, d - 1 - a, 1)
      : zeroPad(e, e.reduceSum(range(e, g, ax, b + d, b + d + a), [ax], true), ax, d - 1, 0);
    x = e.op('Add', [x, right]);
  }
  return x;
}

/** y = pad(x, pads[, value][, axes]): x's shape grown (or cropped) by the known pads (opset ≥ 11). */
const padShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  if (ctx.opset < 11) ctx.fail('Pad before opset 11 (pads as an attribute) is unsupported; use opset ≥ 11');
  const axes = ctx.opset >= 18 && ctx.has(3) ? ctx.known(3, 'axes') : undefined;
  const shape = paddedShape(x.shape, padAmounts(x.shape.length, ctx.known(1, 'pads'), axes));
  return [{ dtype: x.dtype, shape }];
};

/**
 * y = pad(x) (opset 11 on: `pads`, optional `constant_value` and, from 18, `axes` inputs).
 * constant mode: x̄ = Pad(ȳ, −pads) (cropping; negative pads in the forward pass become zero padding), and the
 * constant gets Σȳ − Σx̄ (the sum over the filled positions). edge / reflect: x̄ folds the border cotangents back
 * onto the elements they copy, axis by axis. `wrap` (opset 19) is not supported.
 */
export const Pad = defineOp({
  op: 'Pad',
  shape: padShape,
  vjp: [
    {
      since: 11,
      samples: [
        { label: 'constant', inputs: [{ float: [2, 3] }, { int64: [1, 0, 0, 2] }] },
        {
          label: 'constant value input',
          inputs: [{ float: [3, 2] }, { int64: [0, 1, 2, 1] }, { float: [] }],
        },
        { label: 'negative pads crop', inputs: [{ float: [4, 3] }, { int64: [-1, 1, 0, -1] }] },
        {
          label: 'edge',
          inputs: [{ float: [3, 4] }, { int64: [2, 1, 1, 3] }],
          attributes: { mode: attr.string('edge') },
        },
        {
          label: 'reflect',
          inputs: [{ float: [4, 5] }, { int64: [2, 1, 3, 4] }],
          attributes: { mode: attr.string('reflect') },
        },
      ],
      vjp: (ctx) => {
        const { e, node } = ctx;
        const [x, pads, constant, axes] = node.inputs;
        const shape = ctx.type(x).shape;
        const padValues = ctx.type(pads).value;
        const axesValues = ctx.opset >= 18 && axes ? ctx.type(axes).value : undefined;
        if (!padValues || (ctx.opset >= 18 && axes && !axesValues)) {
          throw new BiaslabError(
            'SHAPE',
            `\`Pad\` at node \`${node.name}\` takes its pads or axes from a value that is not a constant; differentiation needs constant pads.`,
          );
        }
        const p = padAmounts(shape.length, padValues, axesValues);
        const mode = node.attributes.mode?.type === 'string' ? node.attributes.mode.value : 'constant';
        if (mode === 'constant') {
          const crop = () =>
            e.op('Pad', [ctx.g, e.int64s([...p.begin.map((v) => -v), ...p.end.map((v) => -v)])]);
          return [
            crop,
            undefined,
            constant
              ? () =>
                  e.op('Sub', [e.reduceSum(ctx.g, undefined, false), e.reduceSum(crop(), undefined, false)])
              : undefined,
          ];
        }
        if (mode !== 'edge' && mode !== 'reflect') {
          throw new BiaslabError(
            'NO_RULE',
            `No VJP rule for \`Pad\` with mode \`${mode}\` at node \`${node.name}\` (opset ${ctx.opset}); supported modes: constant, edge, reflect.`,
            { op: 'Pad', opset: ctx.opset, node: node.name },
          );
        }
        if (p.begin.some((v) => v < 0) || p.end.some((v) => v < 0)) {
          throw new BiaslabError(
            'SHAPE',
            `\`Pad\` at node \`${node.name}\`: negative pads are only supported in constant mode.`,
          );
        }
        return [
          () =>
            shape.reduce(
              (g, d, ax) =>
                p.begin[ax] || p.end[ax]
                  ? foldAxis(e, g, ax, p.begin[ax], p.end[ax], d, mode === 'reflect')
                  : g,
              ctx.g,
            ),
          undefined,
          undefined,
        ];
      },
    },
  ],
});
