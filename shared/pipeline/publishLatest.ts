/**
 * The last step of a successful run: `latest/` becomes a copy of this run's report. Files of an
 * older report that this run did not write are removed, so `latest/` is one run, never a mix.
 */
import { joinKey, type Storage } from '../storage/storage.js';
import { OPTIMIZER_FILES } from '../report/reportNames.js';
import { LATEST_PREFIX } from './runId.js';

export interface PublishedReport {
  latestPrefix: string;
  files: string[];
}

export async function publishLatest(storage: Storage, runId: string, reportPrefix: string): Promise<PublishedReport> {
  const report = await storage.list(reportPrefix);
  const names = report.map(({ key }) => key.slice(reportPrefix.length));
  for (const name of names) await storage.copy(joinKey(reportPrefix, name), joinKey(LATEST_PREFIX, name));
  // optimizer.json and its page come from the other command: a run leaves them be.
  const kept: readonly string[] = [RUN_MARKER, ...Object.values(OPTIMIZER_FILES)];
  const stale = (await storage.list(LATEST_PREFIX)).filter(({ key }) => {
    const name = key.slice(LATEST_PREFIX.length);
    return !kept.includes(name) && !names.includes(name);
  });
  for (const { key } of stale) await storage.delete(key);
  await storage.put(joinKey(LATEST_PREFIX, RUN_MARKER), `${JSON.stringify({ runId, report: reportPrefix, files: names }, null, 2)}\n`);
  return { latestPrefix: LATEST_PREFIX, files: names };
}

/** `latest/run.json` says which run `latest/` holds. */
export const RUN_MARKER = 'run.json';
