/** How much two PNG pictures differ, decoded (what a reader sees, whatever the PNG's bytes and notes). */
import { PNG } from 'pngjs';

/** The share of pixels (0..1) whose RGBA differ in any channel; 1 for pictures of different sizes. */
export function differingPixelShare(a: Uint8Array, b: Uint8Array): number {
  const one = PNG.sync.read(Buffer.from(a));
  const other = PNG.sync.read(Buffer.from(b));
  if (one.width !== other.width || one.height !== other.height) return 1;
  let differing = 0;
  for (let at = 0; at < one.data.length; at += 4) {
    if (one.data.readUInt32BE(at) !== other.data.readUInt32BE(at)) differing += 1;
  }
  return differing / (one.width * one.height);
}
