/**
 * SplitMix64 (SPEC 20), the bootstrap's random numbers: unsigned 64-bit arithmetic mod 2^64 on
 * BigInt. The state before draw `k` is `seed + k * GAMMA`, so any draw can be made without the
 * ones before it: a chunk of paths jumps straight to its first draw. A path needs a handful of
 * draws (one per block), so BigInt costs nothing that shows beside the path's day loop.
 */

/** The golden-ratio increment: the state moves by it before every draw. */
export const SPLITMIX64_GAMMA = 0x9e3779b97f4a7c15n;

const asUint64 = (value: bigint): bigint => BigInt.asUintN(64, value);

/** The state before draw `k` (0-based) of the stream of `seed`. */
export function splitMix64StateBefore(seed: number, k: number): bigint {
  return asUint64(BigInt(seed) + BigInt(k) * SPLITMIX64_GAMMA);
}

/** The draw made from `state` (the state before it): the state is advanced, then mixed. */
export function splitMix64Draw(state: bigint): bigint {
  let z = asUint64(state + SPLITMIX64_GAMMA);
  z = asUint64((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = asUint64((z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  return z ^ (z >> 31n);
}

/** Draws `first .. first + count - 1` of the stream of `seed`. */
export function splitMix64Draws(seed: number, first: number, count: number): bigint[] {
  const draws: bigint[] = [];
  let state = splitMix64StateBefore(seed, first);
  for (let k = 0; k < count; k += 1) {
    draws.push(splitMix64Draw(state));
    state = asUint64(state + SPLITMIX64_GAMMA);
  }
  return draws;
}

/** `floor((draw >> 11) * 2^-53 * n)` in doubles, as SPEC 20 writes it: an index in `0 .. n-1`. */
export function uniformIndex(draw: bigint, n: number): number {
  return Math.floor(Number(draw >> 11n) * 2 ** -53 * n);
}
