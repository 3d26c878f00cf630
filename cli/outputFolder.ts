/**
 * The output folder of a local run, replaced whole (SPEC 8 and 14, issue 10). `--out` is a
 * symbolic link to a complete version of the report kept in `.NAME.versions/` beside it. A run
 * builds its version there (the files it wrote, plus every other file the folder already held:
 * the user's own, an `optimizer.json`, an older run's tearsheets), then switches the link in one
 * rename. A kill at any instant leaves `--out` showing the old version or the new one, never new
 * CSVs beside an old summary.json; what a killed run left in `.NAME.versions/` is removed by the
 * next run, under the folder's lock, so that a second run never deletes the first one's work.
 */
import { existsSync } from 'node:fs';
import { chmod, copyFile, link, lstat, mkdir, mkdtemp, readdir, readlink, realpath, rename, rm, rmdir, stat, symlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { acquireLock, FolderInUse, type HeldLock } from './folderLock.ts';

/** A problem with the command's folders, found before the run: exit 1 (a folder) or 2 (the flags). */
export class FolderError extends Error {
  readonly exitCode: 1 | 2;

  constructor(message: string, exitCode: 1 | 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

export interface OutputFolder {
  /** A fresh folder for the run's stages; what they write under `report/` becomes the new version. */
  staging: string;
  /** Switches `--out` to the new version; returns the files the run wrote, relative to `--out`. */
  publish(): Promise<string[]>;
  /** Removes the staging folder and releases the lock; before a publish, leaves no trace of the run. */
  close(): Promise<void>;
}

/** An input the report must not overwrite, as the user named it. */
export interface InputPath {
  flag: string;
  path: string;
}

/** Set by the kill tests only: the publish stops dead (SIGKILL) after this many of its steps. */
const KILL_AFTER_STEPS_VARIABLE = 'PORTFOLIO_COMBINER_TEST_KILL_AFTER_PUBLISH_STEPS';

/**
 * Checks `--out` before anything runs (exit 2 when it overlaps an input or is the current folder,
 * exit 1 when it is a file, cannot be written, or another run holds it), takes its lock, removes
 * what killed runs left behind and makes the staging folder.
 */
export async function openOutputFolder(flag: string, out: string, inputs: readonly InputPath[]): Promise<OutputFolder> {
  const target = await locate(flag, out);
  await refuseOverlap(flag, out, target, inputs);
  const { parent, store } = target;
  const created = await createFolders(flag, out, [parent, store]);
  let lock: HeldLock;
  try {
    lock = await acquireLock(join(store, 'lock'));
  } catch (error) {
    await removeCreated(created);
    if (error instanceof FolderInUse) {
      throw new FolderError(`${flag} ${out}: ${error.message}; wait for it to end (if no run is going on, remove ${error.lockFile})`, 1);
    }
    throw writeError(flag, out, store, error);
  }
  let published = false;
  try {
    await removeLeftovers(target);
    const staging = await mkdtemp(join(store, 'staging-'));
    return {
      staging,
      async publish() {
        const files = await publishVersion(target, join(staging, 'report'));
        published = true;
        return files;
      },
      async close() {
        await rm(staging, { recursive: true, force: true });
        await lock.release();
        if (!published) await removeCreated(created);
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

interface Target {
  /** `--out` as an absolute path, through any link that is not ours. */
  path: string;
  parent: string;
  store: string;
  /** What `--out` shows now: our link's version, a plain folder, or nothing yet. */
  current: { kind: 'version' | 'folder'; folder: string } | null;
}

async function locate(flag: string, out: string): Promise<Target> {
  let path = resolve(out);
  for (let hops = 0; ; hops += 1) {
    const parent = dirname(path);
    const store = join(parent, `.${basename(path)}.versions`);
    const found = await lstat(path).catch((error: unknown) => (isCode(error, 'ENOENT') ? null : Promise.reject(error)));
    if (found === null) return { path, parent, store, current: null };
    if (found.isDirectory()) {
      if ((await stat(parent)).dev !== found.dev) {
        throw new FolderError(`${flag} ${out} is a mount point, which cannot be replaced in one step: name a folder inside it`, 1);
      }
      return { path, parent, store, current: { kind: 'folder', folder: path } };
    }
    if (!found.isSymbolicLink()) throw new FolderError(`${flag} ${out} is a file, not a folder`, 1);
    const linked = resolve(parent, await readlink(path));
    if (dirname(linked) === store) return { path, parent, store, current: existsSync(linked) ? { kind: 'version', folder: linked } : null };
    // Someone's own link (to a shared drive, say): the report goes where it points.
    if (hops >= 8 || !existsSync(linked)) throw new FolderError(`${flag} ${out} is a link to ${linked}, which does not exist`, 1);
    path = await realpath(path);
  }
}

/** `--out` must not hold, or lie inside, an input; nor hold the folder the command runs in. */
async function refuseOverlap(flag: string, out: string, target: Target, inputs: readonly InputPath[]): Promise<void> {
  const outFolders = [await realpathOfNearest(target.path), ...(target.current === null ? [] : [await realpath(target.current.folder)])];
  for (const input of inputs) {
    const inputPath = await realpath(input.path);
    if (outFolders.some((folder) => isWithin(inputPath, folder) || isWithin(folder, inputPath))) {
      throw new FolderError(`${flag} ${out} and ${input.flag} ${input.path} overlap: the report would overwrite or mix with the inputs; write it into a folder of its own`, 2);
    }
  }
  const cwd = await realpath(process.cwd());
  const outFolder = outFolders[0] ?? target.path;
  if (isWithin(cwd, outFolder) || outFolder === (await realpathOfNearest(homedir()))) {
    throw new FolderError(`${flag} ${out} is the current folder, the home folder or one that holds them: name a folder for the report (${flag} report)`, 2);
  }
}

/** Creates the folders that are missing, parents first; returns the ones it created, deepest first. */
async function createFolders(flag: string, out: string, folders: readonly string[]): Promise<string[]> {
  const created: string[] = [];
  for (const folder of folders) {
    const missing: string[] = [];
    for (let at = folder; !existsSync(at); at = dirname(at)) missing.push(at);
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      await removeCreated(created);
      throw writeError(flag, out, missing.length > 0 ? dirname(missing.at(-1) ?? folder) : folder, error);
    }
    created.unshift(...missing);
  }
  return created;
}

async function removeCreated(created: readonly string[]): Promise<void> {
  for (const folder of created) await rmdir(folder).catch(() => undefined);
}

function writeError(flag: string, out: string, folder: string, error: unknown): FolderError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : code;
  return new FolderError(`${flag} ${out}: cannot write in ${folder} (${reason}); the report is published by replacing ${flag} in one step, which needs write access to the folder that holds it`, 1);
}

/**
 * Under the lock: a killed switch (`--out` moved aside, the link not yet in place) is undone,
 * and every version but the current one, staging folder and stray link is removed, with the
 * `.NAME.staging-*` folders the file-by-file publish of earlier versions left beside `--out`.
 */
async function removeLeftovers(target: Target): Promise<void> {
  const entries = await readdir(target.store);
  if (target.current === null) {
    const previous = entries.filter((name) => name.startsWith('previous-')).sort().at(-1);
    if (previous !== undefined) {
      await rename(join(target.store, previous), target.path);
      target.current = { kind: 'folder', folder: target.path };
    }
  }
  const keep = target.current?.kind === 'version' ? basename(target.current.folder) : null;
  for (const name of entries) {
    if (name === keep || name.startsWith('lock')) continue;
    await removeTree(join(target.store, name));
  }
  const oldStaging = `.${basename(target.path)}.staging-`;
  for (const name of await readdir(target.parent)) {
    if (name.startsWith(oldStaging)) await removeTree(join(target.parent, name));
  }
}

async function publishVersion(target: Target, staged: string): Promise<string[]> {
  const step = publishStepCounter();
  await mkdir(staged, { recursive: true });
  const written = await filesUnder(staged);
  if (target.current !== null) await carryOver(target.current.folder, staged, step);
  const suffix = basename(dirname(staged)).slice('staging-'.length);
  const version = join(target.store, `v-${new Date().toISOString().replace(/[:.]/g, '-')}-${suffix}`);
  await rename(staged, version);
  step();
  const newLink = join(target.store, `link-${suffix}`);
  await symlink(relative(target.parent, version), newLink);
  step();
  if (target.current?.kind === 'folder') {
    // A plain folder cannot be swapped for a link in one rename: it is moved aside first, and a
    // kill between the two renames is undone by the next run (removeLeftovers).
    const aside = join(target.store, `previous-${suffix}`);
    await rename(target.path, aside);
    step();
    await rename(newLink, target.path);
    step();
    await removeTree(aside);
  } else {
    await rename(newLink, target.path);
    step();
    if (target.current !== null) await removeTree(target.current.folder);
  }
  step();
  return written;
}

/**
 * Every file of `from` that the new report does not replace, into `to`: hard links where the file
 * system allows (no copy of a large CSV), else copies. Links are kept as links.
 */
async function carryOver(from: string, to: string, step: () => void): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const destination = join(to, entry.name);
    const existing = await lstat(destination).catch(() => null);
    if (entry.isDirectory()) {
      if (existing !== null && !existing.isDirectory()) continue;
      await mkdir(destination, { recursive: true });
      await carryOver(source, destination, step);
    } else if (existing === null) {
      if (entry.isSymbolicLink()) await symlink(await readlink(source), destination);
      else if (entry.isFile()) await link(source, destination).catch(() => copyFile(source, destination));
      step();
    }
  }
}

async function filesUnder(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort();
}

function publishStepCounter(): () => void {
  const limit = Number(process.env[KILL_AFTER_STEPS_VARIABLE] ?? Number.NaN);
  let steps = 0;
  return () => {
    steps += 1;
    if (steps === limit) process.kill(process.pid, 'SIGKILL');
  };
}

/**
 * Removes a version no reader sees any more. Its folders may have been made read-only (by the
 * user, in the report they were shown): they are made writable first. A version that still cannot
 * be removed is left for the next run; it never changes what `--out` shows.
 */
async function removeTree(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
  } catch {
    await makeFoldersWritable(path).catch(() => undefined);
    await rm(path, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function makeFoldersWritable(folder: string): Promise<void> {
  if (!(await lstat(folder)).isDirectory()) return;
  await chmod(folder, 0o700);
  for (const entry of await readdir(folder)) await makeFoldersWritable(join(folder, entry));
}

async function realpathOfNearest(path: string): Promise<string> {
  const rest: string[] = [];
  let at = path;
  while (!existsSync(at)) {
    rest.unshift(basename(at));
    at = dirname(at);
  }
  return join(await realpath(at), ...rest);
}

/** Whether `path` is `folder` or inside it (both absolute and real). */
function isWithin(path: string, folder: string): boolean {
  const between = relative(folder, path);
  return between === '' || (!between.startsWith(`..${sep}`) && between !== '..' && !isAbsolute(between));
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException).code === code;
}
