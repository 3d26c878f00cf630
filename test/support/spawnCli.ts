/**
 * The command as a separate process, exactly as a shell starts it: for what an in-process run
 * cannot show (a kill in the middle, a second process holding the lock, another user's rights).
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.ts';

export const BIN = join(REPO_ROOT, 'bin', 'portfolio-combiner.js');

export interface SpawnedRun {
  /** Null when the process was killed. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpawnCliOptions {
  env?: Record<string, string>;
  /** Kill the process with SIGKILL after this many milliseconds. */
  killAfterMs?: number;
  uid?: number;
  gid?: number;
  cwd?: string;
}

export function spawnCli(args: readonly string[], options: SpawnCliOptions = {}): Promise<SpawnedRun> {
  const spawnOptions: SpawnOptions = {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
  };
  const child = spawn(process.execPath, [BIN, ...args], spawnOptions);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr });
    });
  });
}
