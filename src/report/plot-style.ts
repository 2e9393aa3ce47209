/** The look every plot shares: font, sizes, schema. */

/** The font every plot uses: rendered to PNG with this font file loaded explicitly. */
export const PLOT_FONT = 'DejaVu Sans';

/** Vega-Lite config of every plot. */
export const CONFIG = {
  font: PLOT_FONT,
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 11 },
  legend: { labelFontSize: 11, titleFontSize: 11 },
  title: { fontSize: 14, anchor: 'start', subtitleFontSize: 11 },
} as const;

/** The Vega-Lite schema the specs name. */
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
