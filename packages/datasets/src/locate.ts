import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DatasetContext } from '@biaslab/core';

/** Environment variable naming biaslab's data directory (and download cache). */
export const DATA_ENV = 'BIASLAB_DATA';

/** The cache downloads go to when no data directory is given: `$BIASLAB_DATA`, else `~/.cache/biaslab`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[DATA_ENV];
  return fromEnv && fromEnv.length > 0 ? resolve(fromEnv) : join(homedir(), '.cache', 'biaslab');
}

/**
 * The base directories a file-backed dataset searches, in order: the `dataDir` option, the context's data
 * directory, `$BIASLAB_DATA`, `~/.cache/biaslab`, then any system directory the dataset adds (for Fashion-MNIST,
 * where Debian's `dataset-fashion-mnist` puts it). Duplicates are dropped.
 */
export function baseDirectories(
  option: string | undefined,
  context: Pick<DatasetContext, 'dataDir'>,
  system: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const candidates = [option, context.dataDir, env[DATA_ENV], join(homedir(), '.cache', 'biaslab')]
    .filter((d): d is string => typeof d === 'string' && d.length > 0)
    .map((d) => resolve(d));
  return [...new Set([...candidates, ...system.map((d) => resolve(d))])];
}

/** Where downloads go: the first of the `dataDir` option, the context's directory and the cache. */
export function downloadDirectory(
  option: string | undefined,
  context: Pick<DatasetContext, 'dataDir'>,
  name: string,
): string {
  return join(
    option ? resolve(option) : context.dataDir ? resolve(context.dataDir) : defaultCacheDir(),
    name,
  );
}

/**
 * The directories to look in for dataset `name`: for each base directory, `<base>/<name>` and then the base
 * itself (so `dataDir` may point at the folder holding the files or at a folder of dataset folders), plus the
 * system directories as they are.
 */
export function candidateDirectories(
  bases: readonly string[],
  name: string,
  system: readonly string[] = [],
): string[] {
  const systemSet = new Set(system.map((d) => resolve(d)));
  return bases.flatMap((base) => (systemSet.has(base) ? [base] : [join(base, name), base]));
}

/**
 * The first directory in which every one of `files` exists (each may be stored gzipped, `name.gz`, or plain);
 * returns the resolved path of each file, or undefined when no directory has them all.
 */
export function findFileSet(
  directories: readonly string[],
  files: readonly string[],
): { directory: string; paths: string[] } | undefined {
  for (const directory of directories) {
    const paths = files.map((f) => existingVariant(directory, f));
    if (paths.every((p): p is string => p !== undefined)) return { directory, paths };
  }
  return undefined;
}

function existingVariant(directory: string, file: string): string | undefined {
  const plain = file.endsWith('.gz') ? file.slice(0, -3) : file;
  for (const name of [file, plain, `${plain}.gz`]) {
    const path = join(directory, name);
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  return undefined;
}
