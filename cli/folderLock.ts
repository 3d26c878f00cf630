/**
 * One run at a time per output folder (issue 10): a lock file naming the process that holds it.
 * A lock whose process is gone (killed, crashed) is taken over, so a kill never blocks the next
 * run. Liveness is the process id on this host, not a heartbeat: our stages block the event loop
 * for seconds at a time, which would make a heartbeat lock (proper-lockfile's mtime) look stale
 * while its run is alive and let a second run delete the first one's work.
 */
import { hostname } from 'node:os';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

export class FolderInUse extends Error {
  readonly owner: LockOwner;
  readonly lockFile: string;

  constructor(owner: LockOwner, lockFile: string) {
    super(`another run (process ${owner.pid} on ${owner.host}, since ${owner.since}) is writing there`);
    this.owner = owner;
    this.lockFile = lockFile;
  }
}

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * Takes the lock at `path`, or throws `FolderInUse` when a live process holds it. The lock is
 * created whole (written beside, then hard-linked into place: `link` fails when the name exists),
 * so a reader never sees an empty lock file.
 */
export async function acquireLock(path: string): Promise<HeldLock> {
  const mine: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const draft = `${path}.${process.pid}`;
  await writeFile(draft, JSON.stringify(mine));
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await link(draft, path);
        return { release: () => rm(path, { force: true }) };
      } catch (error) {
        if (!isCode(error, 'EEXIST') || attempt >= 3) throw error;
      }
      const holder = await readOwner(path);
      if (holder !== null && isAlive(holder)) throw new FolderInUse(holder, path);
      await takeOverStale(path, holder);
    }
  } finally {
    await rm(draft, { force: true });
  }
}

/**
 * Removes a lock judged stale. It is first moved aside and read again: if another run took the
 * lock in between, what was moved is that run's live lock, and it is put back untouched.
 */
async function takeOverStale(path: string, judged: LockOwner | null): Promise<void> {
  const aside = `${path}.stale-${process.pid}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return;
    throw error;
  }
  const moved = await readOwner(aside);
  if (moved !== null && judged !== null && (moved.pid !== judged.pid || moved.since !== judged.since) && isAlive(moved)) {
    await link(aside, path).catch(() => undefined);
    await rm(aside, { force: true });
    throw new FolderInUse(moved, path);
  }
  await rm(aside, { force: true });
}

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? { pid: owner.pid, host: owner.host, since: String(owner.since) } : null;
  } catch {
    // Missing, or not a lock this program wrote: nobody can be holding it.
    return null;
  }
}

/** A process on another host cannot be asked: its lock counts as held. */
function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true;
  // Our own id in a lock we have not taken yet: an earlier process that had the same id (containers reuse them).
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM');
  }
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException).code === code;
}
