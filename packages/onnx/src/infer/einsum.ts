import { BiaslabError } from '@biaslab/core';

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
