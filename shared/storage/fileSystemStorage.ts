/** Storage on the local file system: keys are paths under a root folder. */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ObjectNotFound, type ObjectBody, type Storage, type StoredObject, type TaggedObject, type WriteCondition } from './storage.ts';

export class FileSystemStorage implements Storage {
  private readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) throw new ObjectNotFound(key);
      throw error;
    }
  }

  async put(key: string, body: ObjectBody): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Written beside its final name, then renamed: a reader sees the old file or the new one.
    const partial = `${path}.partial-${process.pid}`;
    try {
      if (typeof body === 'string' || body instanceof Uint8Array) await writeFile(partial, body);
      else await pipeline(Readable.from(body), createWriteStream(partial));
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const found: StoredObject[] = [];
    const visit = async (folder: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(folder, { withFileTypes: true });
      } catch (error) {
        if (isMissing(error) || isNotFolder(error)) return;
        throw error;
      }
      for (const entry of entries) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) await visit(path);
        // A link to a file is that file (a CSV kept elsewhere); links to folders are not followed, so no loop.
        else if (entry.isFile() || entry.isSymbolicLink()) {
          const target = await stat(path).catch(() => null);
          const key = relative(this.root, path).split(sep).join('/');
          if (target?.isFile() === true && key.startsWith(prefix)) found.push({ key, size: target.size, lastModified: target.mtime });
        }
      }
    };
    await visit(this.pathOf(base));
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** File to file, never through memory (a report's 1 GB CSV), renamed into place whole. */
  async copy(sourceKey: string, targetKey: string): Promise<void> {
    const path = this.pathOf(targetKey);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.partial-${process.pid}`;
    try {
      await copyFile(this.pathOf(sourceKey), partial);
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      if (isMissing(error)) throw new ObjectNotFound(sourceKey);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async getTagged(key: string): Promise<TaggedObject | null> {
    try {
      const bytes = await this.get(key);
      return { bytes, etag: contentTag(bytes) };
    } catch (error) {
      if (error instanceof ObjectNotFound) return null;
      throw error;
    }
  }

  /** Compare and write within this process, one key at a time: the local command is one process per output folder. */
  async putIf(key: string, body: string, condition: WriteCondition): Promise<boolean> {
    const previous = this.conditionalWrites.get(key) ?? Promise.resolve();
    const attempt = previous.then(async () => {
      const current = await this.getTagged(key);
      const matches = 'absent' in condition ? current === null : current?.etag === condition.etag;
      if (matches) await this.put(key, body);
      return matches;
    });
    this.conditionalWrites.set(key, attempt.catch(() => undefined));
    return attempt;
  }

  private readonly conditionalWrites = new Map<string, Promise<unknown>>();

  async getRange(key: string, start: number, end: number): Promise<Uint8Array> {
    let file;
    try {
      file = await open(this.pathOf(key), 'r');
    } catch (error) {
      if (isMissing(error)) throw new ObjectNotFound(key);
      throw error;
    }
    try {
      const bytes = new Uint8Array(end - start);
      let filled = 0;
      while (filled < bytes.length) {
        const { bytesRead } = await file.read(bytes, filled, bytes.length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled === bytes.length ? bytes : bytes.subarray(0, filled);
    } finally {
      await file.close();
    }
  }

  async folders(prefix: string): Promise<string[]> {
    try {
      const entries = await readdir(this.pathOf(prefix.replace(/\/$/, '')), { withFileTypes: true });
      return entries.filter((entry) => entry.isDirectory()).map((entry) => `${prefix}${entry.name}/`).sort();
    } catch (error) {
      if (isMissing(error) || isNotFolder(error)) return [];
      throw error;
    }
  }
}

/** A file's fingerprint for conditional writes: a hash of its content, as S3's ETag of a single-part object is. */
function contentTag(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

function isNotFolder(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOTDIR';
}
