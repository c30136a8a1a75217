import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIGURE_FONT } from './theme';

/** Where Debian/Ubuntu (`fonts-dejavu-core`), Fedora and Alpine put the DejaVu Sans files. */
const FONT_DIRS = [
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/dejavu-sans-fonts',
  '/usr/share/fonts/dejavu',
  '/usr/share/fonts/TTF',
];
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'];

/** The font set the PNG renderer uses: explicit files when DejaVu is found, else the system's fonts. */
export interface FontSetup {
  readonly fontFiles: string[];
  readonly loadSystemFonts: boolean;
  readonly defaultFontFamily: string;
  readonly sansSerifFamily: string;
}

/**
 * Finds DejaVu Sans so PNGs render text identically everywhere without a network; `extraFiles` are added.
 * Without DejaVu the renderer falls back to every system font (text still renders if any font exists).
 */
export function figureFonts(extraFiles: readonly string[] = []): FontSetup {
  const found: string[] = [];
  for (const dir of FONT_DIRS) {
    for (const file of FONT_FILES) if (existsSync(join(dir, file))) found.push(join(dir, file));
    if (found.length > 0) break;
  }
  return {
    fontFiles: [...found, ...extraFiles],
    loadSystemFonts: found.length === 0,
    defaultFontFamily: FIGURE_FONT,
    sansSerifFamily: FIGURE_FONT,
  };
}
