import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BiaslabError } from '@biaslab/core';
import { downloadVerified } from './download';
import type { DataSource } from './sources';

/** A URL prefix that ends in exactly one slash. */
export function withSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

/**
 * Downloads every file of `source` that `directory` lacks, each checked against its SHA-256 (see
 * `downloadVerified`), from `mirror` when given, else from the source's own URL. Returns the URL prefix used.
 */
export async function fetchMissing(
  source: DataSource,
  directory: string,
  mirror: string | undefined,
): Promise<string> {
  const base = withSlash(mirror ?? source.baseUrl);
  for (const file of source.files) {
    const dest = join(directory, file.name);
    if (!existsSync(dest)) await downloadVerified(base + file.name, dest, file.sha256);
  }
  return base;
}

/** The `DATA` error for files found nowhere, listing where biaslab looked and the ways to provide them. */
export function filesNotFound(
  where: string,
  files: readonly string[],
  searched: readonly string[],
  downloadOff: boolean,
): BiaslabError {
  return new BiaslabError(
    'DATA',
    `\`${where}\` needs the files ${files.map((f) => `\`${f}\``).join(', ')} (gzipped or not), found in none of:\n  ` +
      `${searched.join('\n  ')}\n` +
      (downloadOff
        ? 'Downloading is off (`download: false`): copy the files into one of these folders or set `dataDir`.'
        : 'Copy the files into one of these folders, set `dataDir` or `$BIASLAB_DATA`, or allow `download`.'),
    { where, files, searched },
  );
}
