/** The font the charts are drawn with, shipped with the project: Lambda has no system fonts. */
export const FONT_FAMILY = 'DejaVu Sans';
/** Files of the `dejavu-fonts-ttf` package; the Lambda bundle carries them in `fonts/` beside the code. */
export const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;
/**
 * The charts' text size in the PNG's pixels (titles a few larger). The PNGs are 960 pixels wide and
 * a 390-px phone shows them about 358 wide: 22 reads there at about 8, a phone's own small print.
 * Here, not in canvas.ts, so that a bundle using figures.ts's constants does not load the canvas.
 */
export const CHART_FONT_SIZE = 22;
