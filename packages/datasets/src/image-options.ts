import { z } from '@biaslab/core';

/**
 * Options every image dataset shares: which samples, which classes, how pixels are standardised, what the
 * targets are and the tensor layout. Pixels are first scaled to [0, 1] (divided by their maximum, 255 or 16).
 */
export const imageOptionShape = {
  train: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Number of training samples (e.g. 5000 for the 5k subsets); default: every training sample'),
  subset: z
    .enum(['first', 'balanced'])
    .default('first')
    .describe('How `train` and `testSize` pick samples: the first n, or a seeded class-balanced sample'),
  testSize: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe(
      'Number of test samples, chosen like `train`; default: the whole test split; 0 for no test split',
    ),
  classes: z
    .array(z.number().int().nonnegative())
    .min(1)
    .optional()
    .describe('Keep only these classes (original label numbers); labels are renumbered 0..k−1 in this order'),
  standardize: z
    .enum(['per-channel', 'per-pixel', 'global', 'none'])
    .default('per-channel')
    .describe(
      'Standardise the [0, 1] pixels with training statistics: one μ, σ per colour channel (default; for grey ' +
        'images the same as `global`), per pixel (constant pixels only centred), global, or not at all',
    ),
  targets: z
    .enum(['one-hot', 'regression'])
    .default('one-hot')
    .describe('`one-hot`: classification with one-hot y; `regression`: y is the class index as one number'),
  flatten: z
    .boolean()
    .default(true)
    .describe('Flatten images to vectors (fully connected nets); false keeps [C, H, W] (convolutional nets)'),
  dtype: z.enum(['float32', 'float64']).default('float32').describe('Element type of the x and y tensors'),
};

/** Where file-backed image datasets look for and download their files. */
export const fileOptionShape = {
  dataDir: z
    .string()
    .min(1)
    .optional()
    .describe('Folder with the files (or with a folder named after the dataset); also where downloads go'),
  download: z
    .boolean()
    .default(true)
    .describe('Download missing files from the canonical source (checked by SHA-256) into the data folder'),
  mirror: z
    .url()
    .optional()
    .describe('URL prefix to download from instead of the canonical source (same file names and checksums)'),
};

const imageOptionsObject = z.object(imageOptionShape);

/** Parsed image options (without the file-location options). */
export type ImageOptions = z.infer<typeof imageOptionsObject>;

/** Adds the check that `classes` holds distinct labels below `numClasses`. */
export function classesCheck(numClasses: number) {
  return (o: { classes?: number[] | undefined }, ctx: z.RefinementCtx): void => {
    if (!o.classes) return;
    const bad = o.classes.find((c) => c >= numClasses);
    if (bad !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['classes'],
        message: `class \`${bad}\` does not exist; expected labels in 0..${numClasses - 1}`,
      });
    }
    if (new Set(o.classes).size !== o.classes.length) {
      ctx.addIssue({ code: 'custom', path: ['classes'], message: 'every class may be listed once' });
    }
  };
}
