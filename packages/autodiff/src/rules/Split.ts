import { attr, intAttr, normAxis, splitSizes } from '@biaslab/onnx';
import type { VjpContext, VjpRule } from '../rule';

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
export const Split: VjpRule = {
  op: 'Split',
  since: 18,
  samples: [
    ...INPUT_SAMPLES,
    { label: 'num_outputs uneven', inputs: [{ float: [5, 2] }], attributes: { num_outputs: attr.int(2) } },
  ],
  vjp: splitVjp,
};

/** Split with `split` as an optional input (opset 13–17; equal parts without it). */
export const SplitV13: VjpRule = {
  op: 'Split',
  since: 13,
  until: 17,
  samples: INPUT_SAMPLES,
  vjp: splitVjp,
};

/** Split before opset 13, with a `split` attribute. */
export const SplitV11: VjpRule = {
  op: 'Split',
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
