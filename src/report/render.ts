/**
 * Renders Vega-Lite specs: compiled with vega-lite, rendered headless to SVG with vega,
 * rasterised to PNG with resvg using a font file loaded explicitly (no system font
 * lookup, so text renders the same on every machine that has the file).
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { parse as parseVega, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { PLOT_FONT } from './plot-specs.js';

/** Where Debian's fonts-dejavu-core puts the plot font (scripts/setup installs it). */
export const FONT_FILES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'];

/** The plot font is missing: PNGs would have no text. */
export class FontMissingError extends Error {
  override readonly name = 'FontMissingError';
}

/** Vega-Lite → SVG text. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vg = compile(spec).spec;
  const view = new View(parseVega(vg), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** SVG → PNG bytes at `scale` × the SVG's size, with the plot font loaded from its file. */
export function renderPng(svg: string, scale = 2, fontFiles = FONT_FILES): Buffer {
  const present = fontFiles.filter((f) => existsSync(f));
  if (present.length === 0) throw new FontMissingError(`no plot font: ${fontFiles.join(', ')} missing (apt-get install fonts-dejavu-core)`);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { fontFiles: present, loadSystemFonts: false, defaultFontFamily: PLOT_FONT, sansSerifFamily: PLOT_FONT },
  });
  return resvg.render().asPng();
}
