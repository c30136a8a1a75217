import { BiaslabError } from '@biaslab/core';

/**
 * Checks that a model context's `inputShape` and `outputSize` are usable: non-empty, positive integers.
 * Returns the number of input features (the product of `inputShape`).
 */
export function checkShapes(model: string, inputShape: readonly number[], outputSize: number): number {
  if (inputShape.length === 0 || !inputShape.every((s) => Number.isInteger(s) && s > 0)) {
    throw new BiaslabError(
      'SHAPE',
      `\`model/${model}\` needs an input shape of positive integers, received \`[${inputShape.join(', ')}]\`. ` +
        'Check the dataset: every sample must have at least one feature.',
      { model, inputShape: [...inputShape] },
    );
  }
  if (!Number.isInteger(outputSize) || outputSize < 1) {
    throw new BiaslabError(
      'SHAPE',
      `\`model/${model}\` needs a positive integer output size, received \`${outputSize}\`. Check the dataset's \`outputSize\`.`,
      { model, outputSize },
    );
  }
  return inputShape.reduce((a, b) => a * b, 1);
}
