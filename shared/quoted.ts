/**
 * How a message shows what a user wrote (issue 10): a cell, a header, a name may hold anything,
 * 50,000 characters or a line break that would forge another `error:` line. A message quotes it
 * cut to 80 characters and with every control character written as an escape.
 */

const MAX_QUOTED = 80;

/**
 * C0 and C1 controls, DEL, the line and paragraph separators, and the bidirectional overrides and
 * isolates, which can make a terminal show a line other than the one written.
 */
const controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with each control character as `\n`, `\t` or `\uXXXX`: safe to print on one line. */
export function escapeControls(text: string): string {
  return text.replace(controls, (character) => {
    const named = NAMED_ESCAPES[character];
    return named ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `"text"`, escaped, and cut after 80 characters with the full length said: `"abc..."… (50,000 characters)`. */
export function quoted(text: string): string {
  return cut(text, (part) => escapeControls(JSON.stringify(part)));
}

/** `text` without quotes (a name in `strategies[2] (NAME)`, a value written as JSON), escaped and cut the same way. */
export function shown(text: string): string {
  return cut(text, escapeControls);
}

function cut(text: string, show: (part: string) => string): string {
  return text.length <= MAX_QUOTED ? show(text) : `${show(text.slice(0, MAX_QUOTED))}… (${text.length.toLocaleString('en-US')} characters)`;
}
