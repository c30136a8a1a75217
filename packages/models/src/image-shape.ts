import { BiaslabError } from '@biaslab/core';
import { checkShapes } from './input-shape';

/**
 * The [C, H, W] of an image model's input: `[C, H, W]` as given, `[H, W]` as one channel. Vector inputs are
 * refused with a hint, because their spatial layout is unknown.
 */
export function imageShape(
  model: string,
  inputShape: readonly number[],
  outputSize: number,
): [number, number, number] {
  checkShapes(model, inputShape, outputSize);
  if (inputShape.length === 3) return [inputShape[0], inputShape[1], inputShape[2]];
  if (inputShape.length === 2) return [1, inputShape[0], inputShape[1]];
  throw new BiaslabError(
    'SHAPE',
    `\`model/${model}\` needs image inputs of shape \`[C, H, W]\` or \`[H, W]\`, received \`[${inputShape.join(', ')}]\`. ` +
      'Load the dataset without flattening (e.g. `flatten: false`), or use `model/mlp` for vectors.',
    { model, inputShape: [...inputShape] },
  );
}
