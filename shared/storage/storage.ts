/**
 * Where the pipeline reads and writes: objects by key, `/`-separated. The local run uses the
 * file system, the cloud pipeline S3; the core knows only this interface.
 */

export interface StoredObject {
  key: string;
  size: number;
  /** A fingerprint of the content where the backend keeps one (S3's ETag). */
  etag?: string | undefined;
  /** When the object was last written, where the backend says (S3's LastModified, a file's mtime). */
  lastModified?: Date | undefined;
}

/** An object with the fingerprint a conditional write compares against. */
export interface TaggedObject {
  bytes: Uint8Array;
  etag: string;
}

/** What a conditional write expects to replace: nothing at all, or the object with this ETag. */
export type WriteCondition = { absent: true } | { etag: string };

export type ObjectBody = Uint8Array | string | Iterable<string> | AsyncIterable<string | Uint8Array>;

export interface Storage {
  /** The whole object; rejects with `ObjectNotFound` when there is none. */
  get(key: string): Promise<Uint8Array>;
  /** Writes the object whole or not at all: a reader never sees half of it. */
  put(key: string, body: ObjectBody): Promise<void>;
  /** Every object whose key starts with `prefix`, at any depth, sorted by key. */
  list(prefix: string): Promise<StoredObject[]>;
  /** Copies an object within the storage, replacing any at `targetKey`; `size`, known from a listing, spares a look-up. */
  copy(sourceKey: string, targetKey: string, size?: number): Promise<void>;
  /** Removes an object; a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** The object with its fingerprint, or null when there is none. */
  getTagged(key: string): Promise<TaggedObject | null>;
  /**
   * Writes the object only if what is stored still matches `condition` (S3's If-None-Match /
   * If-Match): false when another writer got there first. The one primitive that makes
   * `latest/run.json` and the per-run markers safe under concurrent runs.
   */
  putIf(key: string, body: string, condition: WriteCondition): Promise<boolean>;
  /** Bytes `[start, end)` of an object: a stage reads only the columns it needs. */
  getRange(key: string, start: number, end: number): Promise<Uint8Array>;
  /** The names of the folders directly under `prefix` (`runs/` -> `runs/a/`, `runs/b/`). */
  folders(prefix: string): Promise<string[]>;
}

export class ObjectNotFound extends Error {
  readonly key: string;

  constructor(key: string) {
    super(`${key} does not exist`);
    this.key = key;
    this.name = 'ObjectNotFound';
  }
}

/** `prefix/` joined with `name`, without doubling the slash. */
export function joinKey(prefix: string, name: string): string {
  if (prefix === '') return name;
  return prefix.endsWith('/') ? `${prefix}${name}` : `${prefix}/${name}`;
}

/**
 * Runs `work` on every item, at most `limit` at a time (S3 copies and deletes of thousands of
 * report files: one after the other they outlast a Lambda, all at once they are throttled).
 */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The last part of a key. */
export function baseName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}
