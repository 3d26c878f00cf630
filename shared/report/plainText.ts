/**
 * Plain text for the terminal and the emails: sentences broken at spaces into lines of at most
 * 80 columns, so that each line reads whole in a terminal and wraps at most once on a phone.
 * A word is never cut: a name or a link longer than a line stands alone on its line.
 */

export const TEXT_WIDTH = 80;

export function wrap(text: string, indent: string, continuation: string = indent): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(' ')) {
    const prefix = lines.length === 0 ? indent : continuation;
    const candidate = line === prefix ? `${line}${word}` : `${line} ${word}`;
    if (candidate.length <= TEXT_WIDTH || line === prefix) {
      line = candidate;
    } else {
      lines.push(line);
      line = `${continuation}${word}`;
    }
  }
  lines.push(line);
  return lines;
}

/** A block of lines after a blank line, or nothing when the block is empty. */
export function section(lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : ['', ...lines];
}
