/**
 * The fonts of the PDF renditions: DejaVu Sans from the `dejavu-fonts-ttf` npm package. The PDF
 * standard fonts (Helvetica, Times) only cover WinAnsi, so Vietnamese letters (ắ, ộ, ữ, Đ …) need an
 * embedded TrueType font; DejaVu covers the whole Vietnamese alphabet with precomposed glyphs and
 * pdfkit embeds only the glyphs a document uses (a subset), with a ToUnicode map so the text can be
 * searched and copied back out.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../src/core/errors.js';

export type FontStyle = 'regular' | 'bold' | 'italic';

/** pdfkit font names the renditions register; `doc.font(PDF_FONT.bold)` after `registerPdfFonts(doc)`. */
export const PDF_FONT: Readonly<Record<FontStyle, string>> = {
  regular: 'DejaVuSans',
  bold: 'DejaVuSans-Bold',
  italic: 'DejaVuSans-Oblique',
};

const FONT_FILES: Readonly<Record<FontStyle, string>> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
};

let fontDir: string | undefined;

/** The `ttf` folder of the installed `dejavu-fonts-ttf` package (resolved once). */
export function dejavuFontDir(): string {
  if (fontDir !== undefined) return fontDir;
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
  } catch (cause) {
    throw new ConfigError('PDF_FONT_MISSING', 'the npm package dejavu-fonts-ttf is not installed; PDF renditions need it for Vietnamese text', { path: 'dejavu-fonts-ttf' }, { cause });
  }
  fontDir = join(dirname(packageJson), 'ttf');
  return fontDir;
}

/** Absolute path of one DejaVu Sans face; a missing file is a configuration error, not a silent fallback. */
export function dejavuFontPath(style: FontStyle): string {
  const file = join(dejavuFontDir(), FONT_FILES[style]);
  if (!existsSync(file)) {
    throw new ConfigError('PDF_FONT_MISSING', `font file ${FONT_FILES[style]} not found in dejavu-fonts-ttf`, { file });
  }
  return file;
}

/** The subset of pdfkit's document API that font registration needs (keeps this file free of pdfkit's types). */
export interface FontRegistry {
  registerFont(name: string, src: string): unknown;
}

/** Registers the three faces under the names of `PDF_FONT`. */
export function registerPdfFonts(doc: FontRegistry): void {
  for (const style of Object.keys(FONT_FILES) as FontStyle[]) {
    doc.registerFont(PDF_FONT[style], dejavuFontPath(style));
  }
}
