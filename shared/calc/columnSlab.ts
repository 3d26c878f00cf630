/**
 * `count` columns of `length` values each, as views of one buffer. Thousands of small typed
 * arrays (a 20-year column is 41.7 KB, below glibc's 128 KB mmap threshold) fragment the
 * process heap, which keeps most of their pages after they are collected (~150 MB at 500 x 20);
 * one large buffer is mapped on its own and goes back to the system when it is collected.
 * A view keeps its whole slab alive: give a slab to columns that live and die together.
 */
function columnSlab<Column extends Float64Array | Uint8Array>(make: (values: number) => Column, count: number, length: number): Column[] {
  const slab = make(count * length);
  return Array.from({ length: count }, (_, index) => slab.subarray(index * length, (index + 1) * length) as Column);
}

export function float64Columns(count: number, length: number): Float64Array[] {
  return columnSlab((values) => new Float64Array(values), count, length);
}

export function uint8Columns(count: number, length: number): Uint8Array[] {
  return columnSlab((values) => new Uint8Array(values), count, length);
}
