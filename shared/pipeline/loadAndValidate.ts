/**
 * Stage 1, Load+Validate (SPEC 1, 17, 19.2): the config first (no data is read when it has
 * errors), then every configured CSV and the benchmark's, all their errors reported together;
 * with a previous copy of the inputs, the restatements. Leaves the parsed columns and the
 * resolved config for the next stage.
 */
import { alignedCalendar, calendarBounds, hasCommonDate } from '#shared/calc/align.ts';
import { benchmarkOnCalendar } from '#shared/calc/benchmark.ts';
import { isoDate, parseDate } from '#shared/dates.ts';
import { parseConfigText } from '#shared/config/parseConfigText.ts';
import { monteCarloFromError } from '#shared/config/monteCarloSchema.ts';
import { validateConfig } from '#shared/config/validateConfig.ts';
import type { TrackRecord } from '#shared/ingest/readTrackRecord.ts';
import { RETURN_SERIES_COLUMNS } from '#shared/ingest/trackRecordColumns.ts';
import { InputErrors, type InputError, type InputWarning } from '#shared/problems.ts';
import { quoted, shown } from '#shared/quoted.ts';
import { baseName, joinKey, ObjectNotFound, type Storage, type StoredObject } from '#shared/storage/storage.ts';
import { artifactKey, encodeBenchmark, encodeTrackRecords, writeJson, type InputFile, type Validation } from './artifacts.ts';
import { compareWithPrevious } from './compareWithPrevious.ts';
import type { ProgressListener } from './progress.ts';
import { readInputCsv } from './readInputCsv.ts';

export interface LoadInput {
  /** Prefix (folder) holding the strategy CSVs. */
  dataPrefix: string;
  /** The config; by default `portfolio.json`, `.yaml` or `.yml` in the data folder. */
  configKey?: string | undefined;
  workPrefix: string;
  /** SPEC 19.2: the prefix of the previous copy of the inputs to compare with (a folder locally, the last published run's input in the cloud). */
  previousDataPrefix?: string | undefined;
  /** How summary.json names it (`restatements.previous`); the prefix when not given. */
  previousLabel?: string | undefined;
}

export interface LoadOutput {
  validationKey: string;
  trackRecordsKey: string;
  strategies: number;
  rows: number;
  warnings: number;
}

export const DEFAULT_CONFIG_NAMES = ['portfolio.json', 'portfolio.yaml', 'portfolio.yml'] as const;

export async function loadAndValidate(storage: Storage, input: LoadInput, progress?: ProgressListener): Promise<LoadOutput> {
  const listing = await storage.list(joinKey(input.dataPrefix, ''));
  const folderFiles = listing.filter(({ key }) => !key.slice(joinKey(input.dataPrefix, '').length).includes('/'));
  const configKey = input.configKey ?? findDefaultConfig(folderFiles, input.dataPrefix);
  const configFile = baseName(configKey);
  const configText = new TextDecoder().decode(await getOrReport(storage, configKey, 'the config file does not exist'));
  const rawConfig = parseConfigText(configText, configFile);
  const csvFiles = new Map(folderFiles.filter(({ key }) => key.endsWith('.csv')).map((object) => [baseName(object.key), object]));
  // A strategy or benchmark without its CSV is a config error too: reported with the others, before any data is read.
  const missingFiles = [...strategiesWithoutFile(rawConfig, csvFiles, configFile), ...benchmarkWithoutFile(rawConfig, csvFiles, configFile)];
  const { config, errors: configErrors, warnings: configWarnings } = validateConfig(rawConfig, configFile);
  if (config === null || missingFiles.length > 0) throw new InputErrors([...configErrors, ...missingFiles]);

  const configured = new Set([...config.strategies.map((strategy) => `${strategy.name}.csv`), ...(config.benchmark === undefined ? [] : [config.benchmark.file])]);
  const warnings: InputWarning[] = [...configWarnings];
  for (const file of csvFiles.keys()) {
    if (!configured.has(file)) {
      warnings.push({ kind: 'unconfiguredFile', file, line: null, column: null, message: 'no strategy of the config is named after this file: it was not read' });
    }
  }

  const errors: InputError[] = [];
  const records: TrackRecord[] = [];
  for (const [s, strategy] of config.strategies.entries()) {
    const object = csvFiles.get(`${strategy.name}.csv`) as StoredObject;
    progress?.({ stage: 'load', done: s, total: config.strategies.length });
    const reading = await readInputCsv(storage, object, strategy.name, config);
    errors.push(...reading.errors);
    warnings.push(...reading.warnings);
    if (reading.record !== null) records.push(reading.record);
  }
  // SPEC 17: the benchmark's Date and Return, after the strategies, by the same rules.
  let benchmark: TrackRecord | null = null;
  if (config.benchmark !== undefined) {
    const reading = await readInputCsv(storage, csvFiles.get(config.benchmark.file) as StoredObject, config.benchmark.name, config, RETURN_SERIES_COLUMNS);
    errors.push(...reading.errors);
    warnings.push(...reading.warnings);
    benchmark = reading.record;
  }
  if (errors.length === 0 && config.alignment === 'intersection' && !hasCommonDate(records)) {
    errors.push({
      kind: 'noCommonDate',
      file: configFile,
      line: null,
      column: 'alignment',
      message: 'alignment is "intersection" but no date is in every strategy file',
    });
  }
  const inSampleEnd = config.optimizer?.inSampleEnd ?? null;
  const bounds = errors.length === 0 ? calendarBounds(records, config.alignment) : null;
  if (inSampleEnd !== null && bounds !== null) {
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
  if (benchmark !== null && bounds !== null && !sharesCalendarDate(benchmark, records, config.alignment)) {
    errors.push({
      kind: 'configInvalid',
      file: configFile,
      line: null,
      column: 'benchmark.file',
      message: `${quoted(benchmark.file)} has no date on the calendar of the strategies (${isoDate(bounds.first)} to ${isoDate(bounds.last)}): there is nothing to compare`,
    });
  }
  const monteCarloFrom = config.monteCarlo?.from ?? null;
  const fromError = monteCarloFrom === null || bounds === null ? null : monteCarloFromError(monteCarloFrom, bounds, configFile);
  if (fromError !== null) errors.push(fromError);
  if (errors.length > 0) throw new InputErrors(errors);

  const inputFile = ({ file, sha256, rows }: TrackRecord): InputFile => ({ file, sha256, rows });
  const validation: Validation = {
    configFile,
    config,
    warnings,
    inputs: [...records.map(inputFile), ...(benchmark === null ? [] : [inputFile(benchmark)])],
  };
  if (input.previousDataPrefix !== undefined) {
    const previous = { prefix: input.previousDataPrefix, label: input.previousLabel ?? input.previousDataPrefix };
    const comparison = await compareWithPrevious(storage, previous, config, records);
    warnings.push(...comparison.warnings);
    validation.restatements = comparison.summary;
    await storage.put(artifactKey(input.workPrefix, 'restatements'), comparison.csv);
  }
  const validationKey = artifactKey(input.workPrefix, 'validation');
  const trackRecordsKey = artifactKey(input.workPrefix, 'trackRecords');
  await writeJson(storage, validationKey, validation);
  await storage.put(trackRecordsKey, encodeTrackRecords(records));
  if (benchmark !== null) await storage.put(artifactKey(input.workPrefix, 'benchmark'), encodeBenchmark(benchmark));
  return {
    validationKey,
    trackRecordsKey,
    strategies: records.length,
    rows: records.reduce((sum, record) => sum + record.rows, 0),
    warnings: warnings.length,
  };
}

function strategiesWithoutFile(rawConfig: unknown, csvFiles: ReadonlyMap<string, StoredObject>, configFile: string): InputError[] {
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
function benchmarkWithoutFile(rawConfig: unknown, csvFiles: ReadonlyMap<string, StoredObject>, configFile: string): InputError[] {
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

/** Whether the benchmark has a date on the calendar the strategies align on (SPEC 17). */
function sharesCalendarDate(benchmark: TrackRecord, records: readonly TrackRecord[], alignment: Validation['config']['alignment']): boolean {
  const calendar = alignedCalendar(records, alignment);
  return benchmarkOnCalendar(benchmark.dates, benchmark.returns, calendar).present.includes(1);
}

function findDefaultConfig(folderFiles: readonly StoredObject[], dataPrefix: string): string {
  for (const name of DEFAULT_CONFIG_NAMES) {
    const key = joinKey(dataPrefix, name);
    if (folderFiles.some((object) => object.key === key)) return key;
  }
  throw new InputErrors([
    {
      kind: 'missingFile',
      file: DEFAULT_CONFIG_NAMES[0],
      line: null,
      column: null,
      message: `no config in the data folder (looked for ${DEFAULT_CONFIG_NAMES.join(', ')})`,
    },
  ]);
}

async function getOrReport(storage: Storage, key: string, message: string): Promise<Uint8Array> {
  try {
    return await storage.get(key);
  } catch (error) {
    if (!(error instanceof ObjectNotFound)) throw error;
    throw new InputErrors([{ kind: 'missingFile', file: key, line: null, column: null, message }]);
  }
}
