/**
 * The fast path of reading a number cell. Nearly every cell of a track record is a plain
 * decimal (`0.0123`, `-5`, `2500.5`); reading one from its digits is several times faster
 * than the number pattern and `Number(text)` of `parseNumber`, and gives the same double.
 */

/** 10^0 .. 10^22: every one is a double exactly. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, exponent) => 10 ** exponent);
/** Up to 15 digits the integer of the digits is exact (below 2^53), so one division rounds correctly. */
const MAX_DIGITS = 15;

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const PLUS = 0x2b;
const MINUS = 0x2d;
const POINT = 0x2e;

/**
 * The value of `[+-]?digits[.digits]` (or `.digits`) with at most 15 digits in all, else NaN
 * and the caller parses the text in full. Such a text is a number by the SPEC's pattern, and
 * `digits / 10^decimals` with both exact is the correctly rounded value `Number(text)` gives
 * (Clinger's fast path); the sign is applied after, as rounding is symmetric.
 */
export function plainDecimal(text: string): number {
  const first = text.charCodeAt(0);
  const negative = first === MINUS;
  let digits = 0;
  let mantissa = 0;
  let decimals = -1;
  for (let at = negative || first === PLUS ? 1 : 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (code >= DIGIT_0 && code <= DIGIT_9) {
      mantissa = mantissa * 10 + (code - DIGIT_0);
      digits += 1;
      if (decimals !== -1) decimals += 1;
    } else if (code === POINT && decimals === -1) {
      decimals = 0;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0 || digits > MAX_DIGITS) return Number.NaN;
  const value = decimals > 0 ? mantissa / (POWERS_OF_TEN[decimals] ?? Number.NaN) : mantissa;
  return negative ? -value : value;
}
