import { BiaslabError, UNSAFE_PATH_SEGMENTS, assertSafeOptionPath } from '@biaslab/core';

/** A grid over experiment options: dotted option path → the values it takes (e.g. `model.options.alpha`). */
export type GridSpec = Readonly<Record<string, readonly unknown[]>>;

/** One point of a grid: the value of every gridded path. */
export type GridPoint = Readonly<Record<string, unknown>>;

/** Keys that cannot be gridded, with the reason given to the user. */
const NOT_GRIDDABLE: Record<string, string> = {
  grid: 'a grid cannot grid itself',
  lrs: 'learning rates are always crossed with the grid; give them in `lrs` or `lrGrid`',
  lrGrid: 'learning rates are always crossed with the grid; give them in `lrs` or `lrGrid`',
  refine: 'refinement settings apply to the whole experiment',
  breakPoint: 'the break-point rule applies to the whole experiment',
  out: 'one experiment writes one directory',
  plugins: 'plugins are loaded once for the whole experiment',
};

/**
 * Checks a grid against the raw configuration before any default is filled in: every path is non-empty,
 * starts at a known experiment key that may be gridded, has at least one value, is not also given a value
 * outside the grid, does not overlap another gridded path (`model` and `model.options.alpha`), and has no
 * key `__proto__`, `prototype` or `constructor`.
 * Returns one message per problem.
 */
export function gridProblems(
  raw: Record<string, unknown>,
  grid: GridSpec,
  knownKeys: readonly string[],
): string[] {
  const problems: string[] = [];
  const paths = Object.keys(grid);
  for (const path of paths) {
    const keys = splitPath(path);
    if (keys.some((k) => k === '')) {
      problems.push(
        `\`grid.${path}\`: not an option path; write dotted keys such as \`model.options.alpha\``,
      );
      continue;
    }
    const unsafe = keys.find((k) => UNSAFE_PATH_SEGMENTS.includes(k));
    if (unsafe !== undefined) {
      problems.push(
        `\`grid.${path}\`: the key \`${unsafe}\` is refused (it would write into the prototype of every object)`,
      );
      continue;
    }
    if (!knownKeys.includes(keys[0])) {
      problems.push(
        `\`grid.${path}\`: \`${keys[0]}\` is not an experiment key; known keys: ${knownKeys.map((k) => `\`${k}\``).join(', ')}`,
      );
      continue;
    }
    if (NOT_GRIDDABLE[keys[0]]) {
      problems.push(`\`grid.${path}\`: \`${keys[0]}\` cannot be gridded (${NOT_GRIDDABLE[keys[0]]})`);
      continue;
    }
    if (!Array.isArray(grid[path]) || grid[path].length === 0) {
      problems.push(`\`grid.${path}\`: the grid is empty; give at least one value, e.g. \`[0.01, 0.1]\``);
    }
    if (valueAtPath(raw, keys) !== undefined) {
      problems.push(
        `\`${path}\` is given both a value and a grid; remove one (the grid's values replace the value)`,
      );
    }
    for (const other of paths) {
      if (other !== path && other.startsWith(`${path}.`)) {
        problems.push(`\`grid.${path}\` and \`grid.${other}\` overlap; grid one of them`);
      }
    }
  }
  return problems;
}

/**
 * Every point of the grid, the first path varying slowest (so points are in the order a reader expects:
 * `seed: [0, 1]` × `alpha: [a, b]` → (0,a), (0,b), (1,a), (1,b)). An empty spec has the one empty point.
 */
export function gridPoints(grid: GridSpec): GridPoint[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [path, values] of Object.entries(grid)) {
    points = points.flatMap((p) => values.map((v) => ({ ...p, [path]: v })));
  }
  return points;
}

/**
 * A deep copy of `raw` with each path of `point` set. Components written as a bare name (`model: dln`)
 * become `{name, options}` when a path goes inside them; array indices are numeric keys. A key `__proto__`,
 * `prototype` or `constructor` in a path is an INVALID_CONFIG error.
 */
export function applyGridPoint(raw: Record<string, unknown>, point: GridPoint): Record<string, unknown> {
  const copy = structuredClone(raw);
  for (const [path, value] of Object.entries(point)) {
    const keys = splitPath(path);
    // `model.__proto__.x` would otherwise set `x` on Object.prototype.
    assertSafeOptionPath(keys, `grid.${path}`, 'INVALID_CONFIG');
    let cur: Record<string, unknown> = copy;
    for (const [i, key] of keys.slice(0, -1).entries()) {
      let next = cur[key];
      if (typeof next === 'string' && (keys[i + 1] === 'options' || keys[i + 1] === 'name')) {
        next = { name: next };
      } else if (next === null || typeof next !== 'object') {
        next = /^\d+$/.test(keys[i + 1]) ? [] : {};
      }
      cur[key] = next;
      cur = next as Record<string, unknown>;
    }
    cur[keys.at(-1)!] = structuredClone(value);
  }
  return copy;
}

/** A short text for a grid point: `model.alpha=0.1 seed=2` (`.options` dropped, values as JSON). */
export function gridLabel(point: GridPoint): string {
  return Object.entries(point)
    .map(([path, value]) => `${path.replace(/\.options\./g, '.')}=${JSON.stringify(value)}`)
    .join(' ');
}

function splitPath(path: string): string[] {
  return path.split('.');
}

function valueAtPath(raw: unknown, keys: readonly string[]): unknown {
  let cur: unknown = raw;
  for (const key of keys) {
    if (typeof cur === 'string' && key === 'name') return cur;
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Throws INVALID_CONFIG listing `problems`, when there are any. */
export function assertNoGridProblems(problems: readonly string[], source?: string): void {
  if (problems.length === 0) return;
  throw new BiaslabError(
    'INVALID_CONFIG',
    `Invalid experiment grid${source ? ` in \`${source}\`` : ''}:\n  ${problems.join('\n  ')}`,
    { source, problems },
  );
}
