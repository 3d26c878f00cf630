/**
 * Errors and warnings about the inputs, as values a person can act on: each names the
 * file, the 1-based physical line, and the column (by its canonical name) or the config key.
 */
import { escapeControls } from './quoted.ts';

export type InputErrorKind =
  | 'missingFile'
  | 'fileTooLarge'
  | 'configSyntax'
  | 'configInvalid'
  | 'missingStrategyFile'
  | 'overallocated'
  | 'noCommonDate'
  | 'emptyFile'
  | 'notUtf8Text'
  | 'csvSyntax'
  | 'missingColumn'
  | 'duplicateColumn'
  | 'fieldCount'
  | 'badDate'
  | 'duplicateDate'
  | 'emptyCell'
  | 'notANumber'
  | 'returnAtOrBelowMinusOne'
  | 'negativeValue'
  | 'nonFiniteFigure';

export type WarningKind =
  | 'looksLikePercent'
  | 'dateGap'
  | 'ignoredColumns'
  | 'unconfiguredFile'
  | 'unknownConfigKey'
  /** SPEC 19.2: a previous copy of a strategy's CSV that cannot be read is not compared. */
  | 'previousUnreadable';

export interface InputError {
  kind: InputErrorKind;
  file: string;
  line: number | null;
  /** Canonical CSV column name (`Return`) or, for the config, the key path (`strategies[1] (Beta).marginPerUnit`). */
  column: string | null;
  message: string;
}

export interface InputWarning {
  kind: WarningKind;
  file: string;
  line: number | null;
  column: string | null;
  message: string;
}

/** Thrown when the inputs cannot be used; carries every error found, in report order. */
export class InputErrors extends Error {
  readonly errors: readonly InputError[];

  constructor(errors: readonly InputError[]) {
    super(errors.map(describeProblem).join('\n'));
    this.errors = errors;
    this.name = 'InputErrors';
  }
}

/**
 * One line: `file, line N, column C: message` (the parts that exist). Control characters are
 * escaped: a name holding a line break must not print a second, forged `error:` line.
 */
export function describeProblem(problem: InputError | InputWarning): string {
  const where = [problem.file];
  if (problem.line !== null) where.push(`line ${problem.line}`);
  if (problem.column !== null) where.push(isConfigKind(problem.kind) ? problem.column : `column ${problem.column}`);
  return escapeControls(`${where.join(', ')}: ${problem.message}`);
}

const configKinds: ReadonlySet<string> = new Set([
  'configSyntax',
  'configInvalid',
  'missingStrategyFile',
  'overallocated',
  'noCommonDate',
  'unknownConfigKey',
]);

function isConfigKind(kind: string): boolean {
  return configKinds.has(kind);
}
