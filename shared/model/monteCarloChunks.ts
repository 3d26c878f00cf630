/**
 * The forward-risk bootstrap's paths cut into chunks (SPEC 20: path `p` uses draws `p*B` to
 * `p*B + B - 1` of the one stream, so chunks of paths run apart, a Map item each in the cloud).
 */

/** Paths per chunk: a few seconds of work each at 50 strategies, and few objects to merge. */
export const MONTE_CARLO_CHUNK_PATHS = 250;

export interface MonteCarloChunkItem {
  chunk: number;
  firstPath: number;
  paths: number;
}

/** The chunks of `paths` paths, `chunkPaths` each (the last may hold fewer). */
export function monteCarloChunks(paths: number, chunkPaths = MONTE_CARLO_CHUNK_PATHS): MonteCarloChunkItem[] {
  return Array.from({ length: Math.ceil(paths / chunkPaths) }, (_, chunk) => ({
    chunk,
    firstPath: chunk * chunkPaths,
    paths: Math.min(chunkPaths, paths - chunk * chunkPaths),
  }));
}
