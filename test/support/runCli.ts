/** Runs the command line in-process, as a user would from a shell, and keeps what it printed. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '#cli/main.ts';

export interface CliResult {
  exitCode: number;
  stdout: string[];
  stderr: string[];
}

export async function runCli(args: readonly string[]): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exitCode = await main(args, { out: (line) => stdout.push(line), err: (line) => stderr.push(line) });
  return { exitCode, stdout, stderr };
}

export function scratchFolder(label: string): string {
  return mkdtempSync(join(tmpdir(), `pc-${label}-`));
}

/** The team handbook's worked cases, beside the checkout. */
export const CASES_FOLDER = join(import.meta.dirname, '..', '..', '..', 'shared', 'cases');
