/**
 * Publishing: `latest/run.json` is the one pointer to the last published report, a complete
 * `runs/<runId>/report/` (SPEC 8: nothing half-published). A run publishes by replacing the
 * pointer with a conditional write on the version it read, so publishes are serialised by S3
 * itself: two runs finishing at once cannot both move it, and each sees what the other did.
 * The pointer only moves forward, to a run whose upload was seen complete later (A -> B -> A
 * ends on the second A); an older run that finishes last leaves it alone and says so.
 * The optimizer publishes beside the run, in the pointer's `optimizer` entry, the same way.
 */
import { z } from 'zod';
import { LATEST_POINTER_KEY } from '#shared/storage/bucketLayout.ts';
import type { Storage } from '#shared/storage/storage.ts';

export interface PublishedRun {
  runId: string;
  /** The complete report: `runs/<runId>/report/`. */
  report: string;
  /** The input snapshot it read: `runs/<runId>/input/` (what the next run compares with). */
  input: string;
  /** Every file of the report, relative to `report`. */
  files: string[];
  /** When its upload was seen complete: the order of publishing. */
  uploadCompletedAt: string;
  publishedAt: string;
}

export interface LatestPointer extends PublishedRun {
  /** The last optimizer result, published beside the run's report. */
  optimizer: PublishedRun | null;
}

/** What `latest/` shows, as a notice and a stage's output put it. */
export const latestSummarySchema = z.object({ runId: z.string(), report: z.string(), uploadCompletedAt: z.string(), publishedAt: z.string() });
export type LatestSummary = z.infer<typeof latestSummarySchema>;

export async function readLatest(storage: Storage): Promise<{ pointer: LatestPointer | null; etag: string | null }> {
  const stored = await storage.getTagged(LATEST_POINTER_KEY);
  if (stored === null) return { pointer: null, etag: null };
  return { pointer: JSON.parse(new TextDecoder().decode(stored.bytes)) as LatestPointer, etag: stored.etag };
}

export function latestSummary(pointer: PublishedRun | null): LatestSummary | null {
  if (pointer === null) return null;
  const { runId, report, uploadCompletedAt, publishedAt } = pointer;
  return { runId, report, uploadCompletedAt, publishedAt };
}

/** The publish step's output (`$.published`), which the notifier reads. */
export const publishOutcomeSchema = z.object({
  /** Whether this run now is what `latest/` shows. */
  published: z.boolean(),
  /** What `latest/` shows after this step. */
  latest: latestSummarySchema.nullable(),
});
export type PublishOutcome = z.infer<typeof publishOutcomeSchema>;

export interface RunToPublish {
  runId: string;
  reportPrefix: string;
  dataPrefix: string;
  uploadCompletedAt: string;
  command: 'run' | 'optimize';
  /**
   * The run whose input snapshot Load+Validate compared this run's inputs with (SPEC 19.2; null:
   * none was published then). A run publishes only over that run: when another one published
   * meanwhile, its restatements are against an older snapshot and it must compare again.
   */
  comparedWith?: string | null | undefined;
}

/** Another run published since this run compared its inputs with `latest/`: the state machine discards the sealed report and starts the run over. */
export class ComparedWithOlderRun extends Error {
  static readonly errorName = 'ComparedWithOlderRun';
  override name = ComparedWithOlderRun.errorName;
}

/** Rounds of read-compare-write before giving up (each lost round means another run published meanwhile). */
const MAX_ROUNDS = 20;

/** A later upload wins; the same upload time keeps what is there (a re-run of the same data moves nothing). */
function isNewer(candidate: { uploadCompletedAt: string }, current: { uploadCompletedAt: string } | null): boolean {
  return current === null || Date.parse(candidate.uploadCompletedAt) > Date.parse(current.uploadCompletedAt);
}

export async function publishLatest(storage: Storage, run: RunToPublish, at: Date): Promise<PublishOutcome> {
  const files = (await storage.list(run.reportPrefix)).map(({ key }) => key.slice(run.reportPrefix.length));
  const entry: PublishedRun = {
    runId: run.runId,
    report: run.reportPrefix,
    input: run.dataPrefix,
    files,
    uploadCompletedAt: run.uploadCompletedAt,
    publishedAt: at.toISOString(),
  };
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const { pointer, etag } = await readLatest(storage);
    const current = run.command === 'optimize' ? (pointer?.optimizer ?? null) : pointer;
    // Retried after the pointer was written but before the answer came back: already published.
    if (current?.runId === run.runId) return { published: true, latest: latestSummary(pointer) };
    if (!isNewer(entry, current)) return { published: false, latest: latestSummary(pointer) };
    if (run.comparedWith !== undefined && (pointer?.runId ?? null) !== run.comparedWith) {
      throw new ComparedWithOlderRun(`${run.runId} compared its inputs with ${run.comparedWith ?? 'no run'}, but ${LATEST_POINTER_KEY} now shows ${pointer?.runId ?? 'no run'}: comparing again`);
    }
    let next: LatestPointer | null;
    if (run.command === 'optimize') next = pointer === null ? null : { ...pointer, optimizer: entry };
    else next = { ...entry, optimizer: pointer?.optimizer ?? null };
    if (next === null) {
      // No run has published yet: the optimizer's result waits for one to sit beside.
      return { published: false, latest: null };
    }
    const written = await storage.putIf(LATEST_POINTER_KEY, `${JSON.stringify(next, null, 2)}\n`, etag === null ? { absent: true } : { etag });
    if (written) return { published: true, latest: latestSummary(next) };
  }
  throw new Error(`${LATEST_POINTER_KEY} kept changing during ${MAX_ROUNDS} attempts to publish ${run.runId}`);
}
