/** The data of `tooling/dependency-rules.mjs`, as the table is rendered from it. */
export interface DependencyRules {
  /** Package → the workspace packages it may import. */
  readonly allowed: Readonly<Record<string, readonly string[]>>;
  readonly plugins: readonly string[];
  readonly engine: { readonly module: string; readonly owner: string };
}

/** The markers around the generated block in docs/architecture.md. */
export const BLOCK_START =
  '<!-- dependency-rules: generated from tooling/dependency-rules.mjs; checked by test/tooling/architecture-doc.test.ts -->';
export const BLOCK_END = '<!-- /dependency-rules -->';

const short = (name: string) => name.replace(/^@biaslab\//, '');

/**
 * Layer of each package: 0 for a package that imports none, else one more than the highest layer it may
 * import. A package only ever imports packages of lower layers.
 */
export function layers(allowed: DependencyRules['allowed']): Map<string, number> {
  const depth = new Map<string, number>();
  const visit = (name: string, path: readonly string[]): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (path.includes(name)) throw new Error(`dependency cycle: ${[...path, name].join(' → ')}`);
    const deps = allowed[name] ?? [];
    const d = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((dep) => visit(dep, [...path, name])));
    depth.set(name, d);
    return d;
  };
  for (const name of Object.keys(allowed)) visit(name, []);
  return depth;
}

/**
 * The block docs/architecture.md carries between {@link BLOCK_START} and {@link BLOCK_END}: one table row per
 * package, highest layer first (packages of one layer in the rules' order), then the plugin and engine rules.
 */
export function dependencyBlock(rules: DependencyRules): string {
  const depth = layers(rules.allowed);
  const names = Object.keys(rules.allowed);
  const rows = [...names]
    .sort((a, b) => depth.get(b)! - depth.get(a)! || names.indexOf(a) - names.indexOf(b))
    .map((name) => {
      const deps = rules.allowed[name];
      const list = deps.length === 0 ? '—' : deps.map(short).join(', ');
      return `| ${depth.get(name)} | \`${short(name)}\` | ${list} |`;
    });
  return [
    BLOCK_START,
    '| layer | package (`@biaslab/…`) | may import (`@biaslab/…`) |',
    '| --- | --- | --- |',
    ...rows,
    '',
    `Plugin packages, which never import one another: ${rules.plugins.map((p) => `\`${short(p)}\``).join(', ')}.`,
    `Only \`${short(rules.engine.owner)}\` may import \`${rules.engine.module}\`.`,
    BLOCK_END,
  ].join('\n');
}

/** The generated block of a document (markers included), or undefined when the markers are missing. */
export function generatedBlock(text: string): string | undefined {
  const start = text.indexOf(BLOCK_START);
  const end = text.indexOf(BLOCK_END, start);
  return start < 0 || end < 0 ? undefined : text.slice(start, end + BLOCK_END.length);
}
