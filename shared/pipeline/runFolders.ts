/**
 * The life of a run's folder under `runs/` (SPEC 8: nothing half-published): a finished report is
 * sealed (copied whole from the work folder, where the stages wrote it, and checked); a failed
 * run's partly copied report is discarded; runs older than the retention are expired, except the
 * run `latest/run.json` points to (its report and the input snapshot the next run compares with)
 * and the optimizer result beside it.
 */
import { RUNS_PREFIX } from '#shared/storage/bucketLayout.ts';
import { eachLimited, type Storage } from '#shared/storage/storage.ts';
import { readLatest } from './publishLatest.ts';

/** S3 requests at once when copying or deleting a report's files. */
const CONCURRENCY = 32;

/** Copies the staged report to its place and checks that every file arrived with its size. */
export async function sealReport(storage: Storage, { stagingPrefix, reportPrefix }: { stagingPrefix: string; reportPrefix: string }): Promise<{ files: number; bytes: number }> {
  const staged = await storage.list(stagingPrefix);
  if (staged.length === 0) throw new Error(`${stagingPrefix} holds no report to seal`);
  await eachLimited(staged, CONCURRENCY, ({ key, size }) => storage.copy(key, `${reportPrefix}${key.slice(stagingPrefix.length)}`, size));
  const sealed = new Map((await storage.list(reportPrefix)).map(({ key, size }) => [key.slice(reportPrefix.length), size]));
  const missing = staged.filter(({ key, size }) => sealed.get(key.slice(stagingPrefix.length)) !== size);
  if (missing.length > 0) throw new Error(`${missing.length} report file(s) did not arrive whole under ${reportPrefix}, e.g. ${missing[0]?.key ?? ''}`);
  return { files: staged.length, bytes: staged.reduce((sum, { size }) => sum + size, 0) };
}

/**
 * After a failure: removes what a failed seal copied under `runs/<runId>/report/`, unless that
 * report is what `latest/` points to (a publish that succeeded before a later step failed).
 */
export async function discardReport(storage: Storage, { runId, reportPrefix }: { runId: string; reportPrefix: string }): Promise<{ removed: number; kept: boolean }> {
  const { pointer } = await readLatest(storage);
  if (pointer?.runId === runId || pointer?.optimizer?.runId === runId) return { removed: 0, kept: true };
  const partial = await storage.list(reportPrefix);
  await eachLimited(partial, CONCURRENCY, ({ key }) => storage.delete(key));
  return { removed: partial.length, kept: false };
}

/**
 * Deletes the folders of runs whose newest file is older than `retentionDays`, never the run
 * `latest/` shows nor the optimizer result beside it. A run that is published is complete and
 * recent by construction (the pointer only moves to newer uploads), so the sweep and a publish
 * never race for the same folder.
 */
export async function expireRuns(storage: Storage, now: Date, retentionDays: number): Promise<{ expired: string[]; kept: number }> {
  const { pointer } = await readLatest(storage);
  const protectedRuns = new Set([pointer?.runId, pointer?.optimizer?.runId].filter((runId): runId is string => runId !== undefined));
  const cutoff = now.getTime() - retentionDays * 24 * 3600 * 1000;
  const expired: string[] = [];
  let kept = 0;
  for (const folder of await storage.folders(RUNS_PREFIX)) {
    const runId = folder.slice(RUNS_PREFIX.length, -1);
    if (protectedRuns.has(runId)) {
      kept += 1;
      continue;
    }
    const objects = await storage.list(folder);
    const newest = Math.max(...objects.map(({ lastModified }) => lastModified?.getTime() ?? Number.POSITIVE_INFINITY));
    if (objects.length === 0 || newest >= cutoff) {
      kept += 1;
      continue;
    }
    await eachLimited(objects, CONCURRENCY, ({ key }) => storage.delete(key));
    expired.push(runId);
  }
  return { expired, kept };
}
