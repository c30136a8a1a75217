import { BiaslabError } from '@biaslab/core';
import { Resvg } from '@resvg/resvg-js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height of a PNG from its IHDR chunk; throws when the bytes are not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  if (png.length < 24 || SIGNATURE.some((b, i) => png[i] !== b)) {
    throw new BiaslabError(
      'DATA',
      `Expected PNG bytes (signature \`89 50 4E 47 0D 0A 1A 0A\`), received ${png.length} bytes that are not a PNG. Pass a PNG file's contents.`,
    );
  }
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Decodes a PNG to RGBA pixels (composited on white) by letting resvg draw an SVG that embeds it, so
 * figures and screenshots can be checked pixel by pixel without another image library.
 */
export function pngPixels(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const { width, height } = pngSize(png);
  const href = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image href="${href}" width="${width}" height="${height}"/></svg>`;
  return { width, height, rgba: new Uint8Array(new Resvg(svg, { background: 'white' }).render().pixels) };
}

/** Fraction of pixels darker than `threshold` (mean of R, G, B; 0–255): how much of an image is ink. */
export function inkFraction(png: Uint8Array, threshold = 235): number {
  const { width, height, rgba } = pngPixels(png);
  let ink = 0;
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i] + rgba[i + 1] + rgba[i + 2] < 3 * threshold) ink++;
  return ink / (width * height);
}
