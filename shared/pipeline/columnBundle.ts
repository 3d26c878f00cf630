/**
 * The stages hand each other typed columns through storage as one binary object: a JSON
 * header naming each column, then the raw column bytes, 8-byte aligned, read back as views
 * (no copies, no number-to-text round trip).
 */

export type Column = Float64Array | Int32Array | Uint8Array;
type ColumnType = 'f64' | 'i32' | 'u8';

interface ColumnEntry {
  name: string;
  type: ColumnType;
  offset: number;
  length: number;
}

export interface ColumnBundle<Meta> {
  meta: Meta;
  columns: Map<string, Column>;
}

const MAGIC = 0x50434231; // "PCB1"
const PREFIX_BYTES = 8;

const typeOf = (column: Column): ColumnType =>
  column instanceof Float64Array ? 'f64' : column instanceof Int32Array ? 'i32' : 'u8';

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

export function encodeColumnBundle<Meta>(meta: Meta, columns: ReadonlyMap<string, Column>): Uint8Array {
  const entries: ColumnEntry[] = [];
  let offset = 0;
  for (const [name, column] of columns) {
    entries.push({ name, type: typeOf(column), offset, length: column.length });
    offset = align8(offset + column.byteLength);
  }
  const header = new TextEncoder().encode(JSON.stringify({ meta, entries }));
  const dataStart = align8(PREFIX_BYTES + header.length);
  const bytes = new Uint8Array(dataStart + offset);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  bytes.set(header, PREFIX_BYTES);
  let index = 0;
  for (const column of columns.values()) {
    const entry = entries[index] as ColumnEntry;
    bytes.set(new Uint8Array(column.buffer, column.byteOffset, column.byteLength), dataStart + entry.offset);
    index += 1;
  }
  return bytes;
}

export function decodeColumnBundle<Meta>(stored: Uint8Array): ColumnBundle<Meta> {
  // Views need 8-byte alignment of the underlying buffer: copy once if the storage gave an unaligned slice.
  const bytes = stored.byteOffset % 8 === 0 ? stored : stored.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('not a column bundle');
  const headerLength = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength))) as {
    meta: Meta;
    entries: ColumnEntry[];
  };
  const dataStart = bytes.byteOffset + align8(PREFIX_BYTES + headerLength);
  const columns = new Map<string, Column>();
  for (const entry of header.entries) {
    const start = dataStart + entry.offset;
    const column =
      entry.type === 'f64'
        ? new Float64Array(bytes.buffer, start, entry.length)
        : entry.type === 'i32'
          ? new Int32Array(bytes.buffer, start, entry.length)
          : new Uint8Array(bytes.buffer, start, entry.length);
    columns.set(entry.name, column);
  }
  return { meta: header.meta, columns };
}
