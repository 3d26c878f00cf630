/**
 * What makes a file unreadable as SPEC 1.1's text before any row is read (issue 10): another
 * encoding than UTF-8 (a UTF-16 or UTF-32 byte order mark, NUL bytes), or old Mac line ends
 * (`\r` alone), which would make the whole file one header line. Said once, plainly, instead of
 * as a garbled header error.
 */

const BYTE_ORDER_MARKS: readonly { bytes: readonly number[]; encoding: string }[] = [
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'UTF-32BE' },
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'UTF-32LE' },
  { bytes: [0xfe, 0xff], encoding: 'UTF-16BE' },
  { bytes: [0xff, 0xfe], encoding: 'UTF-16LE' },
];

const NUL = 0x00;
const LF = 0x0a;
const CR = 0x0d;
/** NUL bytes are looked for here only: UTF-16 text without a mark has them from its first character. */
const SNIFFED_BYTES = 4096;

/** Why the bytes are not UTF-8 text with `\n` or `\r\n` line ends, or null when they are. */
export function unreadableText(bytes: Uint8Array): string | null {
  const mark = BYTE_ORDER_MARKS.find(({ bytes: start }) => start.every((byte, index) => bytes[index] === byte));
  if (mark !== undefined) {
    const hex = mark.bytes.map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
    return `the file is ${mark.encoding} (it starts with the byte order mark ${hex}); track records are read as UTF-8: save it as UTF-8 (in Excel: "CSV UTF-8")`;
  }
  if (bytes.subarray(0, SNIFFED_BYTES).includes(NUL)) {
    return 'the file is not UTF-8 text: it holds NUL bytes (UTF-16 without a byte order mark?); save it as UTF-8';
  }
  if (!bytes.includes(LF) && bytes.includes(CR)) {
    return 'the file ends its lines with \\r alone (old Mac line ends); track records use \\n or \\r\\n: save it with Windows or Unix line ends';
  }
  return null;
}
