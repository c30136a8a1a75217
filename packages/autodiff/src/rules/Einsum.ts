import { BiaslabError } from '@biaslab/core';
import { attr, parseEinsum } from '@biaslab/onnx';
import type { VjpRule } from '../rule';

/**
 * y = einsum(eq, x₁, …, xₙ) (any number of operands, `...` and implicit outputs allowed)  ⇒  x̄ₖ =
 * einsum(out, x₁…(without xₖ)… → lettersₖ)(ȳ, others): the cotangent contracted with the other operands onto
 * xₖ's subscripts. A letter only xₖ has was summed inside xₖ, so its gradient is broadcast along it (Expand).
 * A letter repeated inside one operand (diagonals, traces) is refused.
 */
export const Einsum: VjpRule = {
  op: 'Einsum',
  since: 12,
  samples: [
    {
      label: 'matmul',
      inputs: [{ float: [3, 4] }, { float: [4, 2] }],
      attributes: { equation: attr.string('ij,jk->ik') },
    },
    {
      label: 'attention scores',
      inputs: [{ float: [2, 3, 4] }, { float: [2, 5, 4] }],
      attributes: { equation: attr.string('bqd,bkd->bqk') },
    },
    {
      label: 'bilinear',
      inputs: [{ float: [3, 2] }, { float: [4, 2, 5] }, { float: [3, 5] }],
      attributes: { equation: attr.string('bi,oij,bj->bo') },
    },
    {
      label: 'ellipsis, implicit output, summed letter',
      inputs: [{ float: [2, 3, 4] }, { float: [4, 5] }],
      attributes: { equation: attr.string('...ij,jk') },
    },
    {
      label: 'transpose and sum',
      inputs: [{ float: [2, 3, 4] }],
      attributes: { equation: attr.string('ijk->kj') },
    },
  ],
  vjp: (ctx) => {
    const { e, node } = ctx;
    const eq = node.attributes.equation?.type === 'string' ? node.attributes.equation.value : '';
    const shapes = node.inputs.map((x) => ctx.type(x).shape);
    const spec = parseEinsum(eq, shapes);
    return node.inputs.map((_, k) => () => {
      const own = spec.inputs[k];
      if (new Set(own).size !== own.length) {
        throw new BiaslabError(
          'NO_RULE',
          `No VJP rule for \`Einsum\` with a letter repeated inside one operand (\`${eq}\`, operand ${k}) at node \`${node.name}\` (opset ${ctx.opset}); take the diagonal with other ops first.`,
          { op: 'Einsum', opset: ctx.opset, node: node.name },
        );
      }
      const elsewhere = new Set([...spec.output, ...spec.inputs.flatMap((s, j) => (j === k ? [] : s))]);
      const kept = own.filter((c) => elsewhere.has(c));
      const others = spec.inputs.filter((_, j) => j !== k).map((s) => s.join(''));
      const equation = `${[spec.output.join(''), ...others].join(',')}->${kept.join('')}`;
      const operands = [ctx.g, ...node.inputs.filter((_, j) => j !== k)];
      const grad = e.op('Einsum', operands, { equation: attr.string(equation) });
      if (kept.length === own.length) return grad;
      const withOnes = own.map((c) => (elsewhere.has(c) ? spec.sizes.get(c)! : 1));
      return e.expand(e.reshape(grad, withOnes), shapes[k]);
    });
  },
};
