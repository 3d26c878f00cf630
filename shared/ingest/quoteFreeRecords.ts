/**
 * The fast path of reading a CSV with no `"` byte, the normal case: without quoting a record
 * is a line and a field is the text between two commas, so the byte-by-byte state machine of
 * csv-parse is not needed. For such a file it gives the records csv-parse gives with the
 * options `readTrackRecord` uses: a UTF-8 BOM at the start is dropped, a record ends at `\n`
 * and one `\r` just before it belongs to the line end (a lone `\r` is text), a final line
 * without a newline is a record, an empty final line is none. Blank lines come out too, as a
 * record of one field, as csv-parse gives them: the caller skips them.
 */

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** Whether the fast path applies: no quote anywhere. */
export function isQuoteFree(bytes: Uint8Array): boolean {
  return !bytes.includes(QUOTE);
}

/** An empty or white-space line comes out of both splitters (this and csv-parse) as one blank field. */
export function isBlankRecord(fields: readonly string[]): boolean {
  return fields.length === 1 && (fields[0] ?? '').trim() === '';
}

/**
 * Text is decoded a chunk of whole lines at a time: one string of a file past V8's string limit
 * (about 512 MB) cannot be made, and a chunk is never more than this.
 */
export const CHUNK_BYTES = 64 * 1024 * 1024;

/** Calls `onRecord` with the fields and the 1-based line of every record, in file order. */
export function forEachQuoteFreeRecord(bytes: Uint8Array, onRecord: (fields: string[], line: number) => void, chunkBytes = CHUNK_BYTES): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let line = 1;
  for (let chunkStart = startsWithUtf8Bom(bytes) ? 3 : 0; chunkStart < bytes.length; ) {
    // A chunk ends just after a line feed (or at the end): UTF-8 never splits there, and a record
    // never spans two chunks. A line longer than a chunk makes its chunk as long as the line.
    const lastLineFeed = bytes.lastIndexOf(LF, chunkStart + chunkBytes - 1);
    const chunkEnd = chunkStart + chunkBytes >= bytes.length ? bytes.length : lastLineFeed >= chunkStart ? lastLineFeed + 1 : endOfLine(bytes, chunkStart);
    // Decoded whole: UTF-8 replaces a bad byte sequence without touching the ASCII bytes around
    // it, so splitting the text gives the fields csv-parse decodes one by one.
    line = forEachRecordOfText(buffer.toString('utf8', chunkStart, chunkEnd), line, onRecord);
    chunkStart = chunkEnd;
  }
}

/** The records of whole lines of text, numbered from `firstLine`; returns the number of the line after them. */
function forEachRecordOfText(text: string, firstLine: number, onRecord: (fields: string[], line: number) => void): number {
  const fields = new FieldSplitter(text);
  let line = firstLine;
  for (let start = 0; start < text.length; line += 1) {
    const newline = text.indexOf('\n', start);
    const lineEnd = newline === -1 ? text.length : newline;
    const end = newline > start && text.charCodeAt(newline - 1) === CR ? newline - 1 : lineEnd;
    onRecord(fields.split(start, end), line);
    start = lineEnd + 1;
  }
  return line;
}

/** Offset just after the line feed that ends the line starting at `from`, or the end of the bytes. */
function endOfLine(bytes: Uint8Array, from: number): number {
  const lineFeed = bytes.indexOf(LF, from);
  return lineFeed === -1 ? bytes.length : lineFeed + 1;
}

function startsWithUtf8Bom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * Cuts lines of one text into fields. The next comma is looked up once and remembered, so a
 * file with few commas (a one-column file) is not scanned again from every line.
 */
class FieldSplitter {
  /** Offset of the first comma at or after the last lookup; the text's length when there is none. */
  private nextComma = -1;

  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  split(start: number, end: number): string[] {
    const fields: string[] = [];
    for (let at = start; ; ) {
      if (this.nextComma < at) {
        const comma = this.text.indexOf(',', at);
        this.nextComma = comma === -1 ? this.text.length : comma;
      }
      const comma = this.nextComma;
      if (comma >= end) {
        fields.push(this.text.slice(at, end));
        return fields;
      }
      fields.push(this.text.slice(at, comma));
      at = comma + 1;
    }
  }
}
