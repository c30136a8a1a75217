import { BiaslabError } from '@biaslab/core';

/**
 * A `DATA` error about one file: names the file, says what is wrong with it (expected vs received) and how to
 * fix it, so a corrupt download or a wrong path never surfaces as a stack trace from deep inside a parser.
 */
export function dataFileError(file: string, problem: string, fix: string, cause?: unknown): BiaslabError {
  return new BiaslabError(
    'DATA',
    `Cannot read \`${file}\`: ${problem}. ${fix}`,
    { file },
    cause === undefined ? undefined : { cause },
  );
}

/** The usual fix for a damaged standard file. */
export const REPLACE_FILE =
  'Delete the file and download it again (or copy an intact one into the data directory).';
