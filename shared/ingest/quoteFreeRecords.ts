/**
 * The fast path of reading a CSV with no `"` byte, the normal case: without quoting a record
 * is a line and a field is the text between two commas, so the byte-by-byte state machine of
 * csv-parse is not needed. For such a file it gives the records csv-parse gives with the
 * options `readTrackRecord` uses: a UTF-8 BOM at the start is dropped, a record ends at `\n`
 * and one `\r` just before it belongs to the line end (a lone `\r` is text), a final line
 * without a newline is a record, an empty final line is none. Blank lines come out too, as a
 * record of one field, as csv-parse gives them: the caller skips them.
 */

const CR = 0x0d;
const QUOTE = 0x22;

/** Whether the fast path applies: no quote anywhere, and no UTF-16 BOM (csv-parse would decode UTF-16LE). */
export function isQuoteFree(bytes: Uint8Array): boolean {
  return !bytes.includes(QUOTE) && !(bytes[0] === 0xff && bytes[1] === 0xfe);
}

/** Calls `onRecord` with the fields and the 1-based line of every record, in file order. */
export function forEachQuoteFreeRecord(bytes: Uint8Array, onRecord: (fields: string[], line: number) => void): void {
  // Decoded whole: UTF-8 replaces a bad byte sequence without touching the ASCII bytes around
  // it, so splitting the text gives the fields csv-parse decodes one by one.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', startsWithUtf8Bom(bytes) ? 3 : 0);
  const fields = new FieldSplitter(text);
  let line = 1;
  for (let start = 0; start < text.length; line += 1) {
    const newline = text.indexOf('\n', start);
    const lineEnd = newline === -1 ? text.length : newline;
    const end = newline > start && text.charCodeAt(newline - 1) === CR ? newline - 1 : lineEnd;
    onRecord(fields.split(start, end), line);
    start = lineEnd + 1;
  }
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

  constructor(private readonly text: string) {}

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
