import { BiaslabError } from '@biaslab/core';
import { attr } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** An Einsum equation with every ellipsis written out as letters and the implicit output made explicit. */
export interface EinsumSpec {
  /** Subscript letters of each operand, one per axis. */
  readonly inputs: readonly (readonly string[])[];
  /** Subscript letters of the output, one per axis. */
  readonly output: readonly string[];
  /** The size of each letter. */
  readonly sizes: ReadonlyMap<string, number>;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Parses an ONNX Einsum equation for operands of the given shapes. `...` becomes fresh letters (right-aligned
 * across operands); without `->` the output is the letters used once, sorted, after the ellipsis axes.
 * A letter must have one size everywhere (size-1 broadcasting inside Einsum is not supported).
 */
export function parseEinsum(equation: string, shapes: readonly (readonly number[])[]): EinsumSpec {
  const bad = (what: string): never => {
    throw new BiaslabError('SHAPE', `Einsum equation \`${equation}\`: ${what}`);
  };
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.includes('->') ? eq.split('->') : [eq, undefined];
  const terms = lhs.split(',');
  if (terms.length !== shapes.length)
    bad(`has ${terms.length} operand terms but the node has ${shapes.length} inputs`);
  const used = new Set(eq.replace(/[^A-Za-z]/g, ''));
  const free = [...LETTERS].filter((c) => !used.has(c));
  const ellRank = Math.max(
    0,
    ...terms.map((t, k) => (t.includes('...') ? shapes[k].length - t.replace('...', '').length : 0)),
  );
  const ell = free.slice(0, ellRank);
  const expand = (t: string, rank?: number): string[] => {
    if (!t.includes('...')) return [...t];
    const [pre, post] = t.split('...');
    const n = rank === undefined ? ellRank : rank - pre.length - post.length;
    if (n < 0) bad(`term \`${t}\` has more letters than its operand has axes`);
    return [...pre, ...ell.slice(ellRank - n), ...post];
  };
  const inputs = terms.map((t, k) => expand(t, shapes[k].length));
  const sizes = new Map<string, number>();
  inputs.forEach((letters, k) => {
    if (letters.length !== shapes[k].length)
      bad(`term \`${terms[k]}\` has ${letters.length} letters for an operand of rank ${shapes[k].length}`);
    letters.forEach((c, i) => {
      const d = shapes[k][i];
      const seen = sizes.get(c);
      if (seen !== undefined && seen !== d)
        bad(
          `letter \`${c}\` has sizes ${seen} and ${d}; make them equal (broadcasting inside Einsum is unsupported)`,
        );
      sizes.set(c, d);
    });
  });
  let output: string[];
  if (rhs !== undefined) output = expand(rhs);
  else {
    const count = new Map<string, number>();
    for (const letters of inputs) for (const c of letters) count.set(c, (count.get(c) ?? 0) + 1);
    const once = [...count].filter(([c, n]) => n === 1 && !ell.includes(c)).map(([c]) => c);
    output = [...ell, ...once.sort()];
  }
  if (new Set(output).size !== output.length) bad('the output repeats a letter');
  for (const c of output) if (!sizes.has(c)) bad(`output letter \`${c}\` appears in no operand`);
  return { inputs, output, sizes };
}

/** y = einsum(eq, …): the output letters' sizes, in the operands' dtype. */
const einsumShape: ShapeRule = (ctx) => {
  const a = ctx.attributes;
  const eq = a.equation?.type === 'string' ? a.equation.value : ctx.fail('attribute `equation` is required');
  const spec = parseEinsum(
    eq,
    ctx.inputs().map((t) => t.shape),
  );
  return [{ dtype: ctx.input(0).dtype, shape: spec.output.map((c) => spec.sizes.get(c)!) }];
};

/**
 * y = einsum(eq, x₁, …, xₙ) (any number of operands, `...` and implicit outputs allowed)  ⇒  x̄ₖ =
 * einsum(out, x₁…(without xₖ)… → lettersₖ)(ȳ, others): the cotangent contracted with the other operands onto
 * xₖ's subscripts. A letter only xₖ has was summed inside xₖ, so its gradient is broadcast along it (Expand).
 * A letter repeated inside one operand (diagonals, traces) is refused.
 */
export const Einsum = defineOp({
  op: 'Einsum',
  shape: einsumShape,
  vjp: [
    {
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
    },
  ],
});
