/** Storage on the local file system: keys are paths under a root folder. */
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ObjectNotFound, type ObjectBody, type Storage, type StoredObject } from './storage.js';

export class FileSystemStorage implements Storage {
  constructor(private readonly root: string) {}

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
          if (target?.isFile() === true && key.startsWith(prefix)) found.push({ key, size: target.size });
        }
      }
    };
    await visit(this.pathOf(base));
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async copy(sourceKey: string, targetKey: string): Promise<void> {
    await this.put(targetKey, await this.get(sourceKey));
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

function isNotFolder(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOTDIR';
}
