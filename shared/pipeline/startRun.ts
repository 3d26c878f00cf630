/**
 * Before a run starts: when an upload into `incoming/` is complete, and the snapshot of it the
 * run reads. An upload is complete when `incoming/` has not changed for the quiet window (however
 * many files and however many events), or at once when the user wrote the `_DONE` marker after
 * every file. The snapshot is copied under the run and checked against a second listing, so files
 * arriving while it is taken never mix into it; its manifest, written last, is the run's record of
 * what it read and when the upload was seen complete.
 */
import { z } from 'zod';
import { INCOMING_PREFIX, manifestKey, PENDING_UPLOAD_KEY, runPrefixes, UPLOAD_MARKER_KEY } from '#shared/storage/bucketLayout.ts';
import { baseName, eachLimited, joinKey, type Storage, type StoredObject } from '#shared/storage/storage.ts';
import { COMMANDS, contentHash, isRunInput, runIdFor, TRIGGERS, type Command, type Trigger } from './runId.ts';

/** What starts an execution, and the state every stage of it reads its prefixes from. */
export const runRequestSchema = z.object({
  /** The execution's name (at most 80 of `[A-Za-z0-9_-]`). */
  runId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
  trigger: z.enum(TRIGGERS),
  command: z.enum(COMMANDS).default('run'),
  dataPrefix: z.string().min(1),
  workPrefix: z.string().min(1),
  /** Where the stages write the report; only a finished run copies it to `reportPrefix`. */
  stagingPrefix: z.string().min(1),
  reportPrefix: z.string().min(1),
  /** When the upload the run reads was seen complete (ISO): `latest/` only moves to a later one. */
  uploadCompletedAt: z.iso.datetime({ offset: true }),
});
export type RunRequest = z.infer<typeof runRequestSchema>;

/** `incoming/` as listed once: its run inputs, the `_DONE` marker if any, and a fingerprint of both. */
export interface IncomingState {
  inputs: StoredObject[];
  marker: StoredObject | null;
  fingerprint: string;
}

/** What the batcher last saw of `incoming/` and since when: the quiet window counts from `changedAt`. */
export interface PendingUpload {
  fingerprint: string;
  changedAt: string;
  files: number;
}

/** Copies at once while taking a snapshot (2,000 CSVs one by one outlast the starter). */
const COPY_CONCURRENCY = 16;

export async function readIncoming(storage: Storage): Promise<IncomingState> {
  const listed = await storage.list(INCOMING_PREFIX);
  const inputs = listed.filter(({ key }) => isRunInput(key.slice(INCOMING_PREFIX.length)));
  const marker = listed.find(({ key }) => key === UPLOAD_MARKER_KEY) ?? null;
  const fingerprint = contentHash(
    [...inputs, ...(marker === null ? [] : [marker])].map(({ key, size, etag, lastModified }) => ({
      name: baseName(key),
      etag: etag ?? `size:${size}`,
      written: lastModified?.toISOString(),
    })),
  );
  return { inputs, marker, fingerprint };
}

export type UploadObservation =
  | { state: 'empty' }
  /** Still arriving, or not yet quiet for the window: look again at `checkAt`. */
  | { state: 'arriving'; incoming: IncomingState; changedAt: Date; checkAt: Date }
  | { state: 'complete'; incoming: IncomingState; completedAt: Date; by: 'quiet window' | 'marker' };

/**
 * Looks at `incoming/` once and records what changed since the last look (a conditional write, so
 * two starters looking at once agree). The quiet window is measured on the starter's clock
 * between looks, not on S3's timestamps: a look that finds the same fingerprint as one made at
 * least `windowSeconds` earlier finds a complete upload.
 */
export async function observeUpload(storage: Storage, now: Date, windowSeconds: number): Promise<UploadObservation> {
  for (let attempt = 0; ; attempt += 1) {
    const incoming = await readIncoming(storage);
    if (incoming.inputs.length === 0) return { state: 'empty' };
    const stored = await storage.getTagged(PENDING_UPLOAD_KEY);
    const pending = stored === null ? null : (JSON.parse(new TextDecoder().decode(stored.bytes)) as PendingUpload);
    let changedAt: Date;
    if (pending?.fingerprint === incoming.fingerprint) {
      changedAt = new Date(pending.changedAt);
    } else {
      const next: PendingUpload = { fingerprint: incoming.fingerprint, changedAt: now.toISOString(), files: incoming.inputs.length };
      const written = await storage.putIf(PENDING_UPLOAD_KEY, `${JSON.stringify(next)}\n`, stored === null ? { absent: true } : { etag: stored.etag });
      if (!written && attempt < 5) continue; // another starter recorded a look first: look again
      changedAt = now;
    }
    if (markerCompletes(incoming)) return { state: 'complete', incoming, completedAt: changedAt, by: 'marker' };
    const checkAt = new Date(changedAt.getTime() + windowSeconds * 1000);
    if (now.getTime() >= checkAt.getTime()) return { state: 'complete', incoming, completedAt: changedAt, by: 'quiet window' };
    return { state: 'arriving', incoming, changedAt, checkAt };
  }
}

/** The marker completes an upload when it was written after (or with) every input. */
function markerCompletes({ inputs, marker }: IncomingState): boolean {
  const written = marker?.lastModified?.getTime();
  if (written === undefined) return false;
  return inputs.every(({ lastModified }) => (lastModified?.getTime() ?? Number.POSITIVE_INFINITY) <= written);
}

/** The manifest of a snapshot: what the run read, and when its upload was seen complete. */
export interface SnapshotManifest {
  runId: string;
  uploadCompletedAt: string;
  files: { name: string; etag: string | null; size: number; written: string | null }[];
}

export type Snapshot = { taken: true; request: RunRequest; inputs: string[] } | { taken: false; reason: string };

/**
 * Copies the inputs under the run and writes its manifest last. When `incoming/` changed while
 * copying (a listing after the copies differs from the one before), no manifest is written and
 * the run does not start: the change has its own events, and its own run. A snapshot that already
 * has a manifest is not taken again (a re-delivered event, a second starter): `existing` says so.
 */
export async function takeSnapshot(
  storage: Storage,
  incoming: IncomingState,
  run: { runId: string; trigger: Trigger; command: Command; uploadCompletedAt: Date },
): Promise<Snapshot & { existing?: boolean }> {
  const request: RunRequest = { runId: run.runId, trigger: run.trigger, command: run.command, ...runPrefixes(run.runId), uploadCompletedAt: run.uploadCompletedAt.toISOString() };
  const inputs = incoming.inputs.map(({ key }) => baseName(key));
  const existing = await storage.getTagged(manifestKey(run.runId));
  if (existing !== null) {
    const manifest = JSON.parse(new TextDecoder().decode(existing.bytes)) as SnapshotManifest;
    return { taken: true, existing: true, request: { ...request, uploadCompletedAt: manifest.uploadCompletedAt }, inputs };
  }
  await eachLimited(incoming.inputs, COPY_CONCURRENCY, ({ key, size }) => storage.copy(key, joinKey(request.dataPrefix, baseName(key)), size));
  const after = await readIncoming(storage);
  if (after.fingerprint !== incoming.fingerprint) {
    return { taken: false, reason: `${INCOMING_PREFIX} changed while its snapshot was copied: the newer files make a run of their own` };
  }
  const manifest: SnapshotManifest = {
    runId: run.runId,
    uploadCompletedAt: request.uploadCompletedAt,
    files: incoming.inputs.map(({ key, etag, size, lastModified }) => ({ name: baseName(key), etag: etag ?? null, size, written: lastModified?.toISOString() ?? null })),
  };
  if (!(await storage.putIf(manifestKey(run.runId), `${JSON.stringify(manifest, null, 2)}\n`, { absent: true }))) {
    return { taken: true, existing: true, request, inputs };
  }
  return { taken: true, request, inputs };
}

/** The run of a complete upload: named by the state of `incoming/`, so every look at the same state names the same run. */
export function uploadRunId(incoming: IncomingState, trigger: Trigger, at: Date): string {
  return runIdFor(trigger, incoming.fingerprint, at, 'run');
}

/**
 * A run asked for by hand (`run` or `optimize`) on what `incoming/` holds now. Its upload time is
 * when the batcher saw that state, or now if it never did; it always runs (its id adds the time).
 */
export async function prepareRun(storage: Storage, trigger: Trigger, at: Date, command: Command = 'run'): Promise<Snapshot> {
  const incoming = await readIncoming(storage);
  if (incoming.inputs.length === 0) return { taken: false, reason: `nothing to run: no CSV or portfolio config in ${INCOMING_PREFIX}` };
  const stored = await storage.getTagged(PENDING_UPLOAD_KEY);
  const pending = stored === null ? null : (JSON.parse(new TextDecoder().decode(stored.bytes)) as PendingUpload);
  const uploadCompletedAt = pending?.fingerprint === incoming.fingerprint ? new Date(pending.changedAt) : at;
  return takeSnapshot(storage, incoming, { runId: runIdFor(trigger, incoming.fingerprint, at, command), trigger, command, uploadCompletedAt });
}
