import { existsSync, readFileSync } from 'node:fs';
import { cpus, platform, release, arch, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MachineInfo } from '@biaslab/results';

/** Node, OS and CPU of this process. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    node: process.version,
    platform: platform(),
    release: release(),
    arch: arch(),
    cpu: list[0]?.model ?? 'unknown',
    cpus: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  };
}

/**
 * The `version` field of each package's package.json, found by resolving the package (by default from this
 * module; pass your own `(name) => import.meta.resolve(name)` to resolve from yours) and walking up to the
 * package.json that carries its name; `null` for a package that cannot be resolved.
 */
export function packageVersions(
  names: readonly string[],
  resolve: (name: string) => string = (name) => import.meta.resolve(name),
): Record<string, string | null> {
  const versions: Record<string, string | null> = {};
  for (const name of names) versions[name] = versionOf(name, resolve);
  return versions;
}

function versionOf(name: string, resolve: (name: string) => string): string | null {
  let entry: string;
  try {
    entry = fileURLToPath(resolve(name));
  } catch {
    return null;
  }
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
        if (json.name === name) return json.version ?? null;
      } catch {
        return null;
      }
    }
    if (dirname(dir) === dir) return null;
  }
}
