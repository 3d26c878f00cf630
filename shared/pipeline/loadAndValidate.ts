/**
 * Stage 1, Load+Validate (SPEC 1): the config first (no data is read when it has errors),
 * then every configured CSV, all their errors reported together. Leaves the parsed columns
 * and the resolved config for the next stage.
 */
import { calendarBounds, hasCommonDate } from '../calc/align.js';
import { isoDate, parseDate } from '../dates.js';
import { parseConfigText } from '../config/parseConfigText.js';
import { validateConfig } from '../config/validateConfig.js';
import { readTrackRecord, type TrackRecord } from '../ingest/readTrackRecord.js';
import { InputErrors, type InputError, type InputWarning } from '../problems.js';
import { quoted, shown } from '../quoted.js';
import { baseName, joinKey, ObjectNotFound, type Storage, type StoredObject } from '../storage/storage.js';
import { artifactKey, encodeTrackRecords, writeJson, type Validation } from './artifacts.js';
import type { ProgressListener } from './progress.js';

export interface LoadInput {
  /** Prefix (folder) holding the strategy CSVs. */
  dataPrefix: string;
  /** The config; by default `portfolio.json`, `.yaml` or `.yml` in the data folder. */
  configKey?: string | undefined;
  workPrefix: string;
}

export interface LoadOutput {
  validationKey: string;
  trackRecordsKey: string;
  strategies: number;
  rows: number;
  warnings: number;
}

/** Node reads a file whole up to 2 GiB; maxFileSizeBytes may allow more (SPEC 1.2 bounds it only below). */
const MAX_READABLE_BYTES = 2 ** 31 - 1;

export const DEFAULT_CONFIG_NAMES = ['portfolio.json', 'portfolio.yaml', 'portfolio.yml'] as const;

export async function loadAndValidate(storage: Storage, input: LoadInput, progress?: ProgressListener): Promise<LoadOutput> {
  const listing = await storage.list(joinKey(input.dataPrefix, ''));
  const folderFiles = listing.filter(({ key }) => !key.slice(joinKey(input.dataPrefix, '').length).includes('/'));
  const configKey = input.configKey ?? findDefaultConfig(folderFiles, input.dataPrefix);
  const configFile = baseName(configKey);
  const configText = new TextDecoder().decode(await getOrReport(storage, configKey, 'the config file does not exist'));
  const rawConfig = parseConfigText(configText, configFile);
  const csvFiles = new Map(folderFiles.filter(({ key }) => key.endsWith('.csv')).map((object) => [baseName(object.key), object]));
  // A strategy without its CSV is a config error too: reported with the others, before any data is read.
  const missingFiles = strategiesWithoutFile(rawConfig, csvFiles, configFile);
  let validated;
  try {
    validated = validateConfig(rawConfig, configFile);
  } catch (error) {
    if (error instanceof InputErrors) throw new InputErrors([...error.errors, ...missingFiles]);
    throw error;
  }
  if (missingFiles.length > 0) throw new InputErrors(missingFiles);
  const { config, warnings: configWarnings } = validated;

  const configured = new Set(config.strategies.map((strategy) => `${strategy.name}.csv`));
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
    const file = baseName(object.key);
    progress?.({ stage: 'load', done: s, total: config.strategies.length });
    if (object.size > MAX_READABLE_BYTES && object.size <= config.maxFileSizeBytes) {
      errors.push({ kind: 'fileTooLarge', file, line: null, column: null, message: `the file has ${object.size} bytes; a file over 2 GiB cannot be read whole (split it by years)` });
      continue;
    }
    if (object.size > config.maxFileSizeBytes) {
      errors.push({
        kind: 'fileTooLarge',
        file,
        line: null,
        column: null,
        message: `the file has ${object.size} bytes, more than maxFileSizeBytes ${config.maxFileSizeBytes}: it was not read`,
      });
      continue;
    }
    const reading = readTrackRecord(strategy.name, file, await storage.get(object.key), config.dateFormat);
    errors.push(...reading.errors);
    warnings.push(...reading.warnings);
    if (reading.record !== null) records.push(reading.record);
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
  if (errors.length > 0) throw new InputErrors(errors);

  const validation: Validation = {
    configFile,
    config,
    warnings,
    inputs: records.map(({ file, sha256, rows }) => ({ file, sha256, rows })),
  };
  const validationKey = artifactKey(input.workPrefix, 'validation');
  const trackRecordsKey = artifactKey(input.workPrefix, 'trackRecords');
  await writeJson(storage, validationKey, validation);
  await storage.put(trackRecordsKey, encodeTrackRecords(records));
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
