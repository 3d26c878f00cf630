/**
 * The one collector of a config's errors and warnings (SPEC 1.2), as values the way ingest keeps
 * a file's: every check adds to it and `validateConfig` returns what it holds, so the errors of
 * every key are reported together. Each names the config file and the key as a person reads it.
 */
import type { InputError, InputWarning } from '#shared/problems.ts';
import { isRecord, keyPath, type Path } from './keyPath.ts';

/** A config error under a key named already (`strategies[1] (Beta).marginPerUnit`). */
export function configError(file: string, column: string, message: string): InputError {
  return { kind: 'configInvalid', file, line: null, column, message };
}

export class ConfigProblems {
  readonly errors: InputError[] = [];
  readonly warnings: InputWarning[] = [];

  private readonly file: string;
  /** The config as written: keys are named by where they sit in it. */
  private readonly raw: unknown;

  constructor(file: string, raw: unknown) {
    this.file = file;
    this.raw = raw;
  }

  /** An error under the key at `path` of the config as written. */
  error(path: Path, message: string): void {
    this.errorUnder(keyPath(this.raw, path), message);
  }

  /** An error under a key named already: a scenario's merged keys are named under the scenario. */
  errorUnder(column: string, message: string): void {
    this.errors.push(configError(this.file, column, message));
  }

  /** Every key of `node`, the object at `path`, that is not in `allowed`: a warning each, the key is ignored. */
  unknownKeys(node: unknown, allowed: readonly string[], path: Path): void {
    if (!isRecord(node)) return;
    for (const key of Object.keys(node)) {
      if (allowed.includes(key)) continue;
      const column = keyPath(this.raw, [...path, key]);
      this.warnings.push({ kind: 'unknownConfigKey', file: this.file, line: null, column, message: `unknown key ${column} is ignored` });
    }
  }
}
