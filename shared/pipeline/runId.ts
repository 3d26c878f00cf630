/**
 * A run is named after the state of `incoming/` it read: each file's name, content (ETag) and
 * time of writing, so a re-delivered event names the same run and starts nothing new, while a
 * new upload, even of files identical to an earlier one, names a new run. A nightly notice adds
 * its date; a manual or optimize run adds the time it was asked for.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_CONFIG_NAMES } from './loadAndValidate.ts';

export const TRIGGERS = ['upload', 'schedule', 'manual'] as const;
export type Trigger = (typeof TRIGGERS)[number];
/**
 * What a run does: the report (`run`), the strategy-subset search (`optimize`), or, on a night
 * with no new complete upload, only the notice saying so (`unchanged`).
 */
export const COMMANDS = ['run', 'optimize', 'unchanged'] as const;
export type Command = (typeof COMMANDS)[number];

export interface InputFingerprint {
  /** The file name inside the incoming folder. */
  name: string;
  /** A fingerprint of its content (S3's ETag). */
  etag: string;
  /** When it was written (ISO); a file uploaded again with the same content is a new upload. */
  written?: string | undefined;
}

/** Whether a file in the incoming folder is an input of a run: a strategy CSV or the config. */
export function isRunInput(name: string): boolean {
  return !name.includes('/') && (name.endsWith('.csv') || (DEFAULT_CONFIG_NAMES as readonly string[]).includes(name));
}

export function contentHash(inputs: readonly InputFingerprint[]): string {
  const lines = inputs.map(({ name, etag, written }) => (written === undefined ? `${name}\t${etag}` : `${name}\t${etag}\t${written}`)).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 24);
}

/** A Step Functions execution name (at most 80 of `[A-Za-z0-9_-]`). */
export function runIdFor(trigger: Trigger, hash: string, at: Date, command: Command = 'run'): string {
  const iso = at.toISOString();
  if (command === 'optimize') return `optimize-${iso.slice(0, 19).replaceAll(':', '').replace('T', '-')}-${hash}`;
  if (trigger === 'upload') return `upload-${hash}`;
  if (command === 'unchanged') return `nightly-${iso.slice(0, 10)}-${hash}`;
  if (trigger === 'schedule') return `upload-${hash}`;
  return `manual-${iso.slice(0, 19).replaceAll(':', '').replace('T', '-')}-${hash}`;
}
