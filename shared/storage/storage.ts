/**
 * Where the pipeline reads and writes: objects by key, `/`-separated. The local run uses the
 * file system, the cloud pipeline S3; the core knows only this interface.
 */

export interface StoredObject {
  key: string;
  size: number;
  /** A fingerprint of the content where the backend keeps one (S3's ETag). */
  etag?: string | undefined;
}

export type ObjectBody = Uint8Array | string | Iterable<string> | AsyncIterable<string | Uint8Array>;

export interface Storage {
  /** The whole object; rejects with `ObjectNotFound` when there is none. */
  get(key: string): Promise<Uint8Array>;
  /** Writes the object whole or not at all: a reader never sees half of it. */
  put(key: string, body: ObjectBody): Promise<void>;
  /** Every object whose key starts with `prefix`, at any depth, sorted by key. */
  list(prefix: string): Promise<StoredObject[]>;
  /** Copies an object within the storage, replacing any at `targetKey`. */
  copy(sourceKey: string, targetKey: string): Promise<void>;
  /** Removes an object; a missing one is not an error. */
  delete(key: string): Promise<void>;
}

export class ObjectNotFound extends Error {
  constructor(readonly key: string) {
    super(`${key} does not exist`);
    this.name = 'ObjectNotFound';
  }
}

/** `prefix/` joined with `name`, without doubling the slash. */
export function joinKey(prefix: string, name: string): string {
  if (prefix === '') return name;
  return prefix.endsWith('/') ? `${prefix}${name}` : `${prefix}/${name}`;
}

/** The last part of a key. */
export function baseName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}
