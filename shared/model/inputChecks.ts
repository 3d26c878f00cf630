/**
 * What Load+Validate checks across the input files (SPEC 1, 2, 13, 17, 19.2, 20), beside each file's
 * own rules: every configured file is in the data folder, every CSV there is configured, and,
 * once the files are read, the calendar they make holds what the config points into it (a common
 * date, `optimizer.inSampleEnd`, the benchmark's dates, `monteCarlo.from`); a file too large to
 * read (SPEC 1.1) is an error, a previous copy of a file that cannot be read (SPEC 19.2) a warning.
 */
import { alignedCalendar, calendarBounds, hasCommonDate } from '#shared/calc/align.ts';
import { benchmarkOnCalendar } from '#shared/calc/benchmark.ts';
import { monteCarloFromError } from '#shared/config/monteCarloSchema.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { isoDate, parseDate } from '#shared/dates.ts';
import type { TrackRecord } from '#shared/ingest/readTrackRecord.ts';
import { describeProblem, type InputError, type InputWarning } from '#shared/problems.ts';
import { quoted, shown } from '#shared/quoted.ts';

/** Node reads a file whole up to 2 GiB; maxFileSizeBytes may allow more (SPEC 1.2 bounds it only below). */
const MAX_READABLE_BYTES = 2 ** 31 - 1;

/** SPEC 1.1: a file over `maxFileSizeBytes`, or too large to read whole, is not read; null when its size is fine. */
export function fileSizeError(file: string, size: number, maxFileSizeBytes: number): InputError | null {
  const tooLarge = (message: string): InputError => ({ kind: 'fileTooLarge', file, line: null, column: null, message });
  if (size > MAX_READABLE_BYTES && size <= maxFileSizeBytes) return tooLarge(`the file has ${size} bytes; a file over 2 GiB cannot be read whole (split it by years)`);
  if (size > maxFileSizeBytes) return tooLarge(`the file has ${size} bytes, more than maxFileSizeBytes ${maxFileSizeBytes}: it was not read`);
  return null;
}

/** The CSV files of the data folder, by name. */
type CsvFiles = Pick<ReadonlyMap<string, unknown>, 'has' | 'keys'>;

/** Each strategy of the raw config whose `<name>.csv` is not in the data folder (read before the config is validated). */
export function strategiesWithoutFile(rawConfig: unknown, csvFiles: CsvFiles, configFile: string): InputError[] {
  const strategies = (rawConfig as { strategies?: unknown } | null)?.strategies;
  if (!Array.isArray(strategies)) return [];
  return strategies.flatMap((strategy: unknown, s) => {
    const name = (strategy as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || name === '' || csvFiles.has(`${name}.csv`)) return [];
    return [
      {
        kind: 'missingStrategyFile' as const,
        file: configFile,
        line: null,
        column: `strategies[${s}] (${shown(name)}).name`,
        message: `no file ${quoted(`${name}.csv`)} in the data folder (names are case-sensitive)`,
      },
    ];
  });
}

/** SPEC 17: the benchmark names a file of the data folder. */
export function benchmarkWithoutFile(rawConfig: unknown, csvFiles: CsvFiles, configFile: string): InputError[] {
  const file = (rawConfig as { benchmark?: { file?: unknown } | null } | null)?.benchmark?.file;
  // A file that is not a plain `.csv` name is the schema's error, reported under the same key.
  if (typeof file !== 'string' || !file.endsWith('.csv') || /[/\\]/.test(file) || csvFiles.has(file)) return [];
  return [
    {
      kind: 'configInvalid',
      file: configFile,
      line: null,
      column: 'benchmark.file',
      message: `no file ${quoted(file)} in the data folder (names are case-sensitive)`,
    },
  ];
}

/** A CSV of the data folder that no strategy (or the benchmark) is named after: not read, and said so. */
export function unconfiguredFileWarnings(csvFiles: CsvFiles, config: PortfolioConfig): InputWarning[] {
  const configured = new Set([...config.strategies.map((strategy) => `${strategy.name}.csv`), ...(config.benchmark === undefined ? [] : [config.benchmark.file])]);
  return [...csvFiles.keys()]
    .filter((file) => !configured.has(file))
    .map((file) => ({ kind: 'unconfiguredFile', file, line: null, column: null, message: 'no strategy of the config is named after this file: it was not read' }));
}

/** What the config points into the calendar of files that read without error: the first such error stops the rest only when there is no calendar. */
export function calendarErrors(records: readonly TrackRecord[], benchmark: TrackRecord | null, config: PortfolioConfig, configFile: string): InputError[] {
  if (config.alignment === 'intersection' && !hasCommonDate(records)) {
    return [{ kind: 'noCommonDate', file: configFile, line: null, column: 'alignment', message: 'alignment is "intersection" but no date is in every strategy file' }];
  }
  const bounds = calendarBounds(records, config.alignment);
  if (bounds === null) return [];
  const errors: InputError[] = [];
  const inSampleEnd = config.optimizer?.inSampleEnd ?? null;
  if (inSampleEnd !== null) {
    const parsed = parseDate(inSampleEnd, 'YYYY-MM-DD');
    if (parsed.ok && (parsed.day < bounds.first || parsed.day >= bounds.last)) {
      errors.push({
        kind: 'configInvalid',
        file: configFile,
        line: null,
        column: 'optimizer.inSampleEnd',
        message: `${quoted(inSampleEnd)} must be on or after the first date of the calendar (${isoDate(bounds.first)}) and before its last (${isoDate(bounds.last)}), so that both samples have dates`,
      });
    }
  }
  if (benchmark !== null && !sharesCalendarDate(benchmark, records, config.alignment)) {
    errors.push({
      kind: 'configInvalid',
      file: configFile,
      line: null,
      column: 'benchmark.file',
      message: `${quoted(benchmark.file)} has no date on the calendar of the strategies (${isoDate(bounds.first)} to ${isoDate(bounds.last)}): there is nothing to compare`,
    });
  }
  const monteCarloFrom = config.monteCarlo?.from ?? null;
  const fromError = monteCarloFrom === null ? null : monteCarloFromError(monteCarloFrom, bounds, configFile);
  if (fromError !== null) errors.push(fromError);
  return errors;
}

/** Whether the benchmark has a date on the calendar the strategies align on (SPEC 17). */
function sharesCalendarDate(benchmark: TrackRecord, records: readonly TrackRecord[], alignment: PortfolioConfig['alignment']): boolean {
  const calendar = alignedCalendar(records, alignment);
  return benchmarkOnCalendar(benchmark.dates, benchmark.returns, calendar).present.includes(1);
}

/** SPEC 19.2: a previous copy that cannot be read is skipped, with a warning naming its first error. */
export function previousUnreadable(file: string, label: string, errors: readonly InputError[]): InputWarning {
  const first = firstError(errors);
  return {
    kind: 'previousUnreadable',
    file,
    line: first?.line ?? null,
    column: first?.column ?? null,
    message: `the previous copy of ${file} in ${label} cannot be read (error: ${first === undefined ? 'unknown' : describeProblem(first)}); not compared`,
  };
}

/** The error on the earliest line (a file-wide error has none and stands alone). */
function firstError(errors: readonly InputError[]): InputError | undefined {
  return errors.reduce<InputError | undefined>((first, error) => {
    if (first === undefined) return error;
    return (error.line ?? 0) < (first.line ?? 0) ? error : first;
  }, undefined);
}
