/**
 * `count` columns of `length` values each, as views of one buffer. Thousands of small typed
 * arrays (a 20-year sleeve column is 41.7 KB, below glibc's 128 KB mmap threshold) fragment the
 * process heap, which keeps most of their pages after they are collected (~150 MB at 500 x 20);
 * one large buffer is mapped on its own and goes back to the system when it is collected.
 */
export function columnSlab<Column extends Float64Array | Uint8Array>(make: (values: number) => Column, count: number, length: number): Column[] {
  const slab = make(count * length);
  return Array.from({ length: count }, (_, index) => slab.subarray(index * length, (index + 1) * length) as Column);
}
