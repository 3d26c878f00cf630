/**
 * Nothing half-published: a run writes into a staging folder beside the output folder, and
 * only a run that succeeded moves its files into place, each by an atomic rename. On error
 * the staging folder goes and the output folder is exactly as it was.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';

export interface Staging {
  folder: string;
  /**
   * Moves every file of `staged` (a folder inside the staging folder, sub-folders included) into
   * `out`, replacing files of the same name; returns their paths relative to `out`.
   */
  publish(staged: string, out: string): Promise<string[]>;
  discard(): Promise<void>;
}

export async function createStaging(out: string): Promise<Staging> {
  const folder = await mkdtemp(join(nearestExistingFolder(dirname(resolve(out))), `.${basename(out)}.staging-`));
  return {
    folder,
    async publish(staged: string, target: string): Promise<string[]> {
      const files = (await readdir(staged, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile())
        .map((entry) => relative(staged, join(entry.parentPath, entry.name)))
        .sort();
      for (const file of files) {
        await mkdir(dirname(join(target, file)), { recursive: true });
        await moveFile(join(staged, file), join(target, file));
      }
      return files;
    },
    async discard(): Promise<void> {
      await rm(folder, { recursive: true, force: true });
    },
  };
}

function nearestExistingFolder(folder: string): string {
  return existsSync(folder) ? folder : nearestExistingFolder(dirname(folder));
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    // A mount point between the two folders: copy beside the target, then rename into place.
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    const partial = `${to}.partial-${process.pid}`;
    await copyFile(from, partial);
    await rename(partial, to);
  }
}
