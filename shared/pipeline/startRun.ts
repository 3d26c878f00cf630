/**
 * Before a run starts: what is in the incoming folder names the run, and a snapshot of it is
 * copied under the run, so that files arriving while it runs do not change what it reads.
 */
import { baseName, joinKey, type Storage } from '../storage/storage.js';
import { contentHash, INCOMING_PREFIX, isRunInput, runIdFor, runPrefixes, type Command, type Trigger } from './runId.js';

export interface RunRequest {
  runId: string;
  trigger: Trigger;
  command: Command;
  dataPrefix: string;
  workPrefix: string;
  reportPrefix: string;
}

export type PreparedRun = { ready: true; request: RunRequest; inputs: string[] } | { ready: false; reason: string };

export async function prepareRun(storage: Storage, trigger: Trigger, at: Date, command: Command = 'run'): Promise<PreparedRun> {
  const objects = (await storage.list(INCOMING_PREFIX)).filter(({ key }) => isRunInput(key.slice(INCOMING_PREFIX.length)));
  if (objects.length === 0) return { ready: false, reason: `nothing to run: no CSV or portfolio config in ${INCOMING_PREFIX}` };
  const hash = contentHash(objects.map(({ key, size, etag }) => ({ name: baseName(key), etag: etag ?? `size:${size}` })));
  const runId = runIdFor(trigger, hash, at, command);
  const request: RunRequest = { runId, trigger, command, ...runPrefixes(runId) };
  for (const { key } of objects) await storage.copy(key, joinKey(request.dataPrefix, baseName(key)));
  return { ready: true, request, inputs: objects.map(({ key }) => baseName(key)) };
}
