/**
 * Where a figure stops being a number (issue 10): inputs inside SPEC 1.2's ranges can still
 * overflow a double (a startingCapital of 1.7e308, a marginPerUnit of 1e-320), and a NaN compares
 * as false with everything, so it would pass every check. These find the first such figure, so
 * that the run ends as bad input naming it instead of publishing it.
 */
import type { InputError } from '#shared/problems.ts';

export interface CellPosition {
  column: number;
  row: number;
}

/**
 * The earliest row holding a value that is not finite, and in it the first such column; null
 * when all are finite. A column whose `nanAllowed` is true may hold NaN (a figure that does not
 * exist on that date), not an infinity.
 */
export function firstNonFiniteCell(
  columns: readonly Float64Array[],
  nanAllowed: readonly boolean[] = [],
  rows: { start: number; end: number } = { start: 0, end: Number.POSITIVE_INFINITY },
): CellPosition | null {
  let found: CellPosition | null = null;
  for (let column = 0; column < columns.length; column += 1) {
    const values = columns[column] ?? new Float64Array(0);
    const skipNaN = nanAllowed[column] === true;
    const end = Math.min(found === null ? rows.end : found.row, values.length);
    for (let row = rows.start; row < end; row += 1) {
      const value = values[row] ?? 0;
      if (!Number.isFinite(value) && !(skipNaN && Number.isNaN(value))) {
        found = { column, row };
        break;
      }
    }
  }
  return found;
}

/** The first number in a JSON-like value that is not finite, with its key path (`metrics.portfolio.sharpe`, `weights[2]`). */
export function firstNonFiniteNumber(value: unknown, path = ''): { path: string; value: number } | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : { path, value };
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = value as ArrayLike<unknown>;
    for (let index = 0; index < items.length; index += 1) {
      const found = firstNonFiniteNumber(items[index], `${path}[${index}]`);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const found = firstNonFiniteNumber(item, path === '' ? key : `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
}

/** The first figure of a JSON file that is NaN or infinite (JSON would write it as null, a value it is not). */
export function nonFiniteJsonError(file: string, value: unknown): InputError | null {
  const found = firstNonFiniteNumber(value);
  if (found === null) return null;
  return {
    kind: 'nonFiniteFigure',
    file,
    line: null,
    column: null,
    message: `the figure ${found.path} is ${String(found.value)}, not a finite number: the inputs hold values too large or too small for the arithmetic`,
  };
}
