import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A link target written in a markdown file, with the 1-based line it is on. */
export interface MarkdownLink {
  readonly line: number;
  readonly target: string;
}

/** Directories that hold no documentation of the repository (installed, built or generated files). */
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', '.git', '.turbo', 'runs']);

/** Every `*.md` file under `root`, as paths relative to it, sorted. */
export function markdownFiles(root: string, dir = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, dir))) {
    if (SKIPPED_DIRECTORIES.has(entry)) continue;
    const path = dir ? join(dir, entry) : entry;
    if (statSync(join(root, path)).isDirectory()) files.push(...markdownFiles(root, path));
    else if (entry.endsWith('.md')) files.push(path);
  }
  return files.sort();
}

// Inline links and images: [text](target "title") or ![alt](<target>); the text may hold `code`.
const INLINE_LINK = /!?\[(?:[^\][]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^()\s]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
// Reference definitions: [label]: target
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The link targets of a markdown text: inline links, images and reference definitions, outside fenced code
 * blocks and inline code spans (where brackets are code, not links). Angle brackets around a target are removed.
 */
export function markdownLinks(text: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((raw, i) => {
    const opening = FENCE.exec(raw)?.[1];
    if (fence !== undefined) {
      // A fence closes with the same character, at least as long as the one that opened it.
      if (opening && opening[0] === fence[0] && opening.length >= fence.length) fence = undefined;
      return;
    }
    if (opening) {
      fence = opening;
      return;
    }
    const line = raw.replace(/(`+)[^`]*?\1/g, (code) => ' '.repeat(code.length));
    const push = (target: string) => links.push({ line: i + 1, target: target.replace(/^<|>$/g, '') });
    for (const match of line.matchAll(INLINE_LINK)) push(match[1]);
    const definition = REFERENCE_DEFINITION.exec(line);
    if (definition) push(definition[1]);
  });
  return links;
}

/**
 * The file a relative link points at, without its `#fragment` or `?query`; undefined for links that leave
 * the repository (a URL scheme such as `https:` or `mailto:`, or `//host`) and for links within the page (`#…`).
 */
export function relativeLinkPath(target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//') || target.startsWith('#')) {
    return undefined;
  }
  const path = target.replace(/[?#].*$/, '');
  return path === '' ? undefined : decodeURI(path);
}
