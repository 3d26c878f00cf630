/**
 * Where everything lives in the report bucket (SPEC 8: nothing half-published), written once for
 * the stages that read and write it and for infra/, which grants, routes and expires by the same
 * prefixes (the README's "What gets created"):
 * - `incoming/`: what users drop, and `_DONE`, the optional end-of-upload marker;
 * - `runs/<runId>/`: a run's input snapshot (`input/`), its manifest (`snapshot.json`), its sealed
 *   report (`report/`) and the record of its one email (`notice.json`);
 * - `work/<runId>/`: the columns the stages hand each other and the report being written (expired
 *   by a lifecycle rule); `work/uploads/pending.json`, the batcher's last look at `incoming/`;
 *   `work/map-results/`, the Distributed Maps' manifests;
 * - `latest/run.json`: the one pointer to the last published report.
 */
import { joinKey } from './storage.ts';

export const INCOMING_PREFIX = 'incoming/';
export const RUNS_PREFIX = 'runs/';
export const WORK_PREFIX = 'work/';
export const LATEST_PREFIX = 'latest/';

/** Written last by a user who can: `incoming/_DONE` says the upload is complete, with no quiet window to wait. */
export const UPLOAD_MARKER = '_DONE';
export const UPLOAD_MARKER_KEY = joinKey(INCOMING_PREFIX, UPLOAD_MARKER);

/** `latest/run.json` says which run `latest/` shows. */
export const LATEST_POINTER_KEY = joinKey(LATEST_PREFIX, 'run.json');

/** What the starter keeps between its looks at `incoming/`. */
export const UPLOADS_PREFIX = joinKey(WORK_PREFIX, 'uploads/');
/** What the batcher last saw of `incoming/` and since when. */
export const PENDING_UPLOAD_KEY = joinKey(UPLOADS_PREFIX, 'pending.json');

/** Where Distributed Maps leave their run manifests. */
export const MAP_RESULTS_PREFIX = joinKey(WORK_PREFIX, 'map-results/');

/** The folder of a run under `runs/`: its input snapshot, its report, its manifest and its notice. */
export function runFolder(runId: string): string {
  return joinKey(RUNS_PREFIX, `${runId}/`);
}

/**
 * Where a run keeps its inputs, its intermediate columns and its report. The stages write the
 * report under the work folder (`stagingPrefix`); only a run whose every stage succeeded copies
 * it to `reportPrefix`, so a half report is never where reports are looked for. `runPrefixes('*')`
 * gives the patterns that match every run's.
 */
export function runPrefixes(runId: string): { dataPrefix: string; workPrefix: string; stagingPrefix: string; reportPrefix: string } {
  const workPrefix = joinKey(WORK_PREFIX, `${runId}/`);
  return { dataPrefix: joinKey(runFolder(runId), 'input/'), workPrefix, stagingPrefix: joinKey(workPrefix, 'report/'), reportPrefix: joinKey(runFolder(runId), 'report/') };
}

/** The manifest of a run's input snapshot, written last when the snapshot is complete. */
export function manifestKey(runId: string): string {
  return joinKey(runFolder(runId), 'snapshot.json');
}

/** The record of a run's one notice, which keeps a retried Notify from sending it twice. */
export function noticeKey(runId: string): string {
  return joinKey(runFolder(runId), 'notice.json');
}
