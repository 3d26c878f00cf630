/** The number rules of the SPEC: what counts as a number, the tie tolerance, how numbers print. */
import { quoted } from './quoted.ts';

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Whether text (already trimmed) is written as a number: no `1,000`, `0x10`, `NaN` or `inf`. */
export function isNumberText(text: string): boolean {
  return numberPattern.test(text);
}

export type ParsedNumber = { ok: true; value: number } | { ok: false; reason: string };

/** A cell (already trimmed) as a finite double, or why it is not one. */
export function parseNumber(text: string): ParsedNumber {
  if (!isNumberText(text)) return { ok: false, reason: `${quoted(text)} is not a number` };
  const value = Number(text);
  if (!Number.isFinite(value)) return { ok: false, reason: `${quoted(text)} overflows a double` };
  return { ok: true, value };
}

/** A `Return` cell: a fraction, or a percentage when written with a trailing `%` (`1.5%`, `1.5 %`). */
export function parseReturn(text: string): ParsedNumber {
  if (!text.endsWith('%')) return parseNumber(text);
  const parsed = parseNumber(text.slice(0, -1).trimEnd());
  return parsed.ok ? { ok: true, value: parsed.value / 100 } : { ok: false, reason: `${quoted(text)} is not a number or a percentage` };
}

/** How close to a tie or an integer a quotient must be to count as one, so `0.7 / 0.1` does not flip. */
export const INTEGER_TOLERANCE = 1e-9;

/** Nearest integer; when the fraction is within 1e-9 of one half it is a tie and the even neighbour wins. */
export function roundHalfEven(q: number): number {
  const below = Math.floor(q);
  const fraction = q - below;
  if (Math.abs(fraction - 0.5) <= INTEGER_TOLERANCE) return below % 2 === 0 ? below : below + 1;
  return fraction < 0.5 ? below : below + 1;
}

/** `floor(x)`, taking `x` as the integer above it when that integer is within 1e-9. */
export function floorWithTolerance(x: number): number {
  const above = Math.ceil(x);
  return above - x <= INTEGER_TOLERANCE ? above : Math.floor(x);
}

/** Whether `x` is within 1e-9 of an integer. */
export function isNearInteger(x: number): boolean {
  return Math.abs(x - Math.round(x)) <= INTEGER_TOLERANCE;
}

/** Rounds to 10 decimal places, so `3 * 0.1` is `0.3`. */
export function roundTo10Decimals(x: number): number {
  return Number.isInteger(x) ? x : Number(x.toFixed(10));
}

/** The shortest text that reads back to the same double; `-0` prints `0`. */
export function formatNumber(x: number): string {
  return x === 0 ? '0' : String(x);
}

/** Whether a figure is over its limit; NaN is over every limit, so that no check passes on it. */
export function exceeds(value: number, limit: number): boolean {
  return !(value <= limit);
}

/** Below this magnitude a figure counts as zero wherever a metric tests zero, sign or equality. */
export const ZERO_TOLERANCE = 1e-12;
