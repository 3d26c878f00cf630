/**
 * A run is named after the content of its inputs, so a re-delivered event or a second upload of
 * the same files names the same run and starts nothing new. The nightly run adds its date, so
 * every night reports even when nothing changed; a manual run adds the time it was asked for.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_CONFIG_NAMES } from './loadAndValidate.js';

export type Trigger = 'upload' | 'schedule' | 'manual';
/** What a run does: the report (`run`) or the strategy-subset search (`optimize`). */
export type Command = 'run' | 'optimize';

export interface InputFingerprint {
  /** The file name inside the incoming folder. */
  name: string;
  /** A fingerprint of its content (S3's ETag). */
  etag: string;
}

/** Whether a file in the incoming folder is an input of a run: a strategy CSV or the config. */
export function isRunInput(name: string): boolean {
  return !name.includes('/') && (name.endsWith('.csv') || (DEFAULT_CONFIG_NAMES as readonly string[]).includes(name));
}

export function contentHash(inputs: readonly InputFingerprint[]): string {
  const lines = inputs.map(({ name, etag }) => `${name}\t${etag}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 24);
}

/** A Step Functions execution name (at most 80 of `[A-Za-z0-9_-]`). */
export function runIdFor(trigger: Trigger, hash: string, at: Date, command: Command = 'run'): string {
  const iso = at.toISOString();
  if (command === 'optimize') return `optimize-${iso.slice(0, 19).replaceAll(':', '').replace('T', '-')}-${hash}`;
  if (trigger === 'upload') return `upload-${hash}`;
  if (trigger === 'schedule') return `nightly-${iso.slice(0, 10)}-${hash}`;
  return `manual-${iso.slice(0, 19).replaceAll(':', '').replace('T', '-')}-${hash}`;
}

/** Where a run keeps its inputs, its intermediate columns and its report. */
export function runPrefixes(runId: string): { dataPrefix: string; workPrefix: string; reportPrefix: string } {
  return { dataPrefix: `runs/${runId}/input/`, workPrefix: `work/${runId}/`, reportPrefix: `runs/${runId}/report/` };
}

export const INCOMING_PREFIX = 'incoming/';
export const LATEST_PREFIX = 'latest/';
