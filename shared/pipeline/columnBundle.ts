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

function layoutOf<Meta>(meta: Meta, columns: ReadonlyMap<string, Column>): { entries: ColumnEntry[]; header: Uint8Array; dataStart: number; dataBytes: number } {
  const entries: ColumnEntry[] = [];
  let offset = 0;
  for (const [name, column] of columns) {
    entries.push({ name, type: typeOf(column), offset, length: column.length });
    offset = align8(offset + column.byteLength);
  }
  const header = new TextEncoder().encode(JSON.stringify({ meta, entries }));
  return { entries, header, dataStart: align8(PREFIX_BYTES + header.length), dataBytes: offset };
}

/**
 * The same bytes as `encodeColumnBundle`, handed out piece by piece (the prefix and header, then
 * each column as a view of itself): a stage stores 680 MB of columns without a second copy of them.
 */
export async function* columnBundleStream<Meta>(meta: Meta, columns: ReadonlyMap<string, Column>): AsyncIterable<Uint8Array> {
  const { header, dataStart } = layoutOf(meta, columns);
  const head = new Uint8Array(dataStart);
  const view = new DataView(head.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  head.set(header, PREFIX_BYTES);
  yield head;
  for (const column of columns.values()) {
    yield new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
    const padding = align8(column.byteLength) - column.byteLength;
    if (padding > 0) yield new Uint8Array(padding);
  }
}

export function encodeColumnBundle<Meta>(meta: Meta, columns: ReadonlyMap<string, Column>): Uint8Array {
  const { entries, header, dataStart, dataBytes: offset } = layoutOf(meta, columns);
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

/** Where a bundle's columns are, read from its first bytes alone. */
export interface BundleLayout<Meta> {
  meta: Meta;
  entries: Map<string, ColumnEntry>;
  /** The byte where column data starts. */
  dataStart: number;
}

const BYTES_PER_ELEMENT: Record<ColumnType, number> = { f64: 8, i32: 4, u8: 1 };
/** Columns closer than this are fetched in one read: a few more bytes beat another request. */
const COALESCE_GAP = 1024 * 1024;

/** The header of a stored bundle: two small range reads, whatever the bundle's size. */
export async function readBundleLayout<Meta>(readRange: (start: number, end: number) => Promise<Uint8Array>): Promise<BundleLayout<Meta>> {
  const prefix = await readRange(0, PREFIX_BYTES);
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  if (prefix.length < PREFIX_BYTES || view.getUint32(0, true) !== MAGIC) throw new Error('not a column bundle');
  const headerLength = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(await readRange(PREFIX_BYTES, PREFIX_BYTES + headerLength))) as { meta: Meta; entries: ColumnEntry[] };
  return { meta: header.meta, entries: new Map(header.entries.map((entry) => [entry.name, entry])), dataStart: align8(PREFIX_BYTES + headerLength) };
}

/**
 * Some columns of a stored bundle, fetched by range (neighbours in one read): a chart of one
 * strategy needs three of the 18,000 columns of a 2,000-strategy ledger, not its 600 MB.
 */
export async function readBundleColumns<Meta>(
  readRange: (start: number, end: number) => Promise<Uint8Array>,
  layout: BundleLayout<Meta>,
  names: Iterable<string>,
): Promise<ColumnBundle<Meta>> {
  const wanted = [...new Set(names)].map((name) => {
    const entry = layout.entries.get(name);
    if (entry === undefined) throw new Error(`column ${name} is missing from a stage's output`);
    return entry;
  });
  wanted.sort((a, b) => a.offset - b.offset);
  const columns = new Map<string, Column>();
  for (let first = 0; first < wanted.length; ) {
    let last = first;
    const end = (entry: ColumnEntry): number => entry.offset + entry.length * BYTES_PER_ELEMENT[entry.type];
    while (last + 1 < wanted.length && (wanted[last + 1] as ColumnEntry).offset - end(wanted[last] as ColumnEntry) <= COALESCE_GAP) last += 1;
    const start = (wanted[first] as ColumnEntry).offset;
    const stored = await readRange(layout.dataStart + start, layout.dataStart + end(wanted[last] as ColumnEntry));
    const bytes = stored.byteOffset % 8 === 0 ? stored : stored.slice();
    for (const entry of wanted.slice(first, last + 1)) {
      const at = bytes.byteOffset + entry.offset - start;
      const column =
        entry.type === 'f64' ? new Float64Array(bytes.buffer, at, entry.length) : entry.type === 'i32' ? new Int32Array(bytes.buffer, at, entry.length) : new Uint8Array(bytes.buffer, at, entry.length);
      columns.set(entry.name, column);
    }
    first = last + 1;
  }
  return { meta: layout.meta, columns };
}
