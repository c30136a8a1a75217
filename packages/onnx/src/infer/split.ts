import { BiaslabError } from '@biaslab/core';
import type { AttributeValue } from '@biaslab/core';

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
