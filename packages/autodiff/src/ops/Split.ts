import { BiaslabError } from '@biaslab/core';
import type { AttributeValue } from '@biaslab/core';
import { attr, intAttr, normAxis } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';
import type { VjpRuleSpec } from '../op-definition';
import type { VjpContext } from '../rule';

/**
 * The output sizes of a Split along its axis of size `d`: from the `split` attribute (opset < 13) or input
 * (opset ≥ 13), from `num_outputs` (opset ≥ 18: ⌈d/n⌉ each, the last one smaller), or else `d` divided equally
 * among `outputCount` outputs.
 */
export function splitSizes(
  d: number,
  opset: number,
  attributes: Readonly<Record<string, AttributeValue>>,
  splitInput: readonly number[] | undefined,
  outputCount: number,
): number[] {
  const attrSplit = attributes.split?.type === 'ints' ? attributes.split.value : undefined;
  const given = opset >= 13 ? splitInput : attrSplit;
  if (given && given.length) {
    const total = given.reduce((s, v) => s + v, 0);
    if (total !== d || given.some((v) => v < 0)) {
      throw new BiaslabError(
        'SHAPE',
        `Split sizes [${given.join(', ')}] must be non-negative and sum to the axis size ${d}, received sum ${total}; fix the \`split\` values.`,
      );
    }
    return [...given];
  }
  const n = attributes.num_outputs?.type === 'int' ? attributes.num_outputs.value : outputCount;
  if (n < 1 || (attributes.num_outputs === undefined && d % n !== 0)) {
    throw new BiaslabError(
      'SHAPE',
      `Split of an axis of size ${d} into ${n} equal outputs is not possible; give \`split\` sizes or \`num_outputs\`.`,
    );
  }
  const chunk = Math.ceil(d / n);
  return Array.from({ length: n }, (_, i) => (i < n - 1 ? chunk : d - chunk * (n - 1)));
}

/** (y₁, …, yₙ) = split(x) along `axis`  ⇒  x̄ = concat(ȳ₁, …, ȳₙ), a zero block for outputs without a cotangent. */
function splitVjp(ctx: VjpContext) {
  const { e, node } = ctx;
  const [x, split] = node.inputs;
  const shape = ctx.type(x).shape;
  const axis = normAxis(intAttr(node.attributes, 'axis', 0), shape.length);
  const given = ctx.opset >= 13 && split ? ctx.type(split).value : undefined;
  const sizes = splitSizes(shape[axis], ctx.opset, node.attributes, given, node.outputs.length);
  const dtype = ctx.type(x).dtype;
  return [
    () => {
      const parts = sizes.map((n, k) => {
        const g = ctx.cotangents[k];
        if (g) return g;
        return e.expand(
          e.scalar(0, dtype),
          shape.map((d, i) => (i === axis ? n : d)),
        );
      });
      return parts.length === 1 ? parts[0] : e.op('Concat', parts, { axis: attr.int(axis) });
    },
    undefined,
  ];
}

const INPUT_SAMPLES = [
  { label: 'split input', inputs: [{ float: [5, 2] }, { int64: [2, 3] }] },
  {
    label: 'split input, axis -1',
    inputs: [{ float: [2, 6] }, { int64: [1, 2, 3] }],
    attributes: { axis: attr.int(-1) },
  },
];

/** Split with `split` or `num_outputs` (opset 18 on; `num_outputs` gives ⌈d/n⌉ per output, the last smaller). */
const SplitV18: VjpRuleSpec = {
  since: 18,
  samples: [
    ...INPUT_SAMPLES,
    { label: 'num_outputs uneven', inputs: [{ float: [5, 2] }], attributes: { num_outputs: attr.int(2) } },
  ],
  vjp: splitVjp,
};

/** Split with `split` as an optional input (opset 13–17; equal parts without it). */
const SplitV13: VjpRuleSpec = {
  since: 13,
  until: 17,
  samples: INPUT_SAMPLES,
  vjp: splitVjp,
};

/** Split before opset 13, with a `split` attribute. */
const SplitV11: VjpRuleSpec = {
  since: 11,
  until: 12,
  samples: [
    {
      label: 'split attribute',
      inputs: [{ float: [2, 5] }],
      attributes: { axis: attr.int(1), split: attr.ints([3, 2]) },
    },
  ],
  vjp: splitVjp,
};

/** (y₁, …, yₙ) = split(x) along `axis`: x's shape with the axis cut into `splitSizes`. */
const splitShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const axis = normAxis(intAttr(ctx.attributes, 'axis', 0), x.shape.length);
  const split = ctx.opset >= 13 && ctx.has(1) ? ctx.known(1, 'split') : undefined;
  const sizes = splitSizes(x.shape[axis], ctx.opset, ctx.attributes, split, ctx.node.outputs.length);
  return sizes.map((n) => ({ dtype: x.dtype, shape: x.shape.map((d, i) => (i === axis ? n : d)) }));
};

/** Split: one output per part along `axis`. */
export const Split = defineOp({
  op: 'Split',
  shape: splitShape,
  vjp: [SplitV18, SplitV11, SplitV13],
});
