/** The font the charts are drawn with, shipped with the project: Lambda has no system fonts. */
export const FONT_FAMILY = 'DejaVu Sans';
/** Files of the `dejavu-fonts-ttf` package; the Lambda bundle carries them in `fonts/` beside the code. */
export const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;
