/**
 * Stage 1, Load+Validate (SPEC 1, 17, 19.2): the config first (no data is read when it has
 * errors), then every configured CSV and the benchmark's, all their errors reported together;
 * with a previous copy of the inputs, the restatements. Leaves the parsed columns and the
 * resolved config for the next stage.
 */
import { z } from 'zod';
import { parseConfigText } from '#shared/config/parseConfigText.ts';
import { validateConfig } from '#shared/config/validateConfig.ts';
import type { TrackRecord } from '#shared/ingest/readTrackRecord.ts';
import { RETURN_SERIES_COLUMNS } from '#shared/ingest/trackRecordColumns.ts';
import { benchmarkWithoutFile, calendarErrors, strategiesWithoutFile, unconfiguredFileWarnings } from '#shared/model/inputChecks.ts';
import { inputFile, strategyRows, type Validation } from '#shared/model/validation.ts';
import { InputErrors, type InputError, type InputWarning } from '#shared/problems.ts';
import { baseName, joinKey, ObjectNotFound, type Storage, type StoredObject } from '#shared/storage/storage.ts';
import { artifactKey, encodeBenchmark, streamTrackRecords, writeJson } from './artifacts.ts';
import { compareWithPrevious, type PreviousInputs } from './compareWithPrevious.ts';
import type { ProgressListener } from './progress.ts';
import { readLatest } from './publishLatest.ts';
import { filesDirectlyIn, readInputCsv } from './readInputCsv.ts';
import { workInputSchema } from './stageInputs.ts';

export const loadInputSchema = workInputSchema.extend({
  /** Prefix (folder) holding the strategy CSVs. */
  dataPrefix: z.string().min(1),
  /** The config; by default `portfolio.json`, `.yaml` or `.yml` in the data folder. */
  configKey: z.string().min(1).optional(),
  /** SPEC 19.2: the prefix of the previous copy of the inputs to compare with (locally `--previous-data`; in the cloud the last published run's input). */
  previousDataPrefix: z.string().min(1).optional(),
  /** How summary.json names it (`restatements.previous`): the folder as given locally, the previous run's id in the cloud; the prefix when not given. */
  previousLabel: z.string().optional(),
  /**
   * The cloud's run: compare with the input snapshot of the run `latest/run.json` names (none
   * before the first publish), labelled with its run id. The output's `comparedWith` names that
   * run, and Publish latest publishes only on it (README, Serialisation).
   */
  previousRun: z.literal('latest').optional(),
});
export type LoadInput = z.infer<typeof loadInputSchema>;

export interface LoadOutput {
  validationKey: string;
  trackRecordsKey: string;
  strategies: number;
  rows: number;
  warnings: number;
  /** With `previousRun: 'latest'`: the run whose inputs were compared with (null: none was published yet). */
  comparedWith?: string | null;
}

export const DEFAULT_CONFIG_NAMES = ['portfolio.json', 'portfolio.yaml', 'portfolio.yml'] as const;

export async function loadAndValidate(storage: Storage, input: LoadInput, progress?: ProgressListener): Promise<LoadOutput> {
  const folderFiles = await filesDirectlyIn(storage, input.dataPrefix);
  const configKey = input.configKey ?? findDefaultConfig(folderFiles, input.dataPrefix);
  const configFile = baseName(configKey);
  const configText = new TextDecoder().decode(await getOrReport(storage, configKey, 'the config file does not exist'));
  const rawConfig = parseConfigText(configText, configFile);
  const csvFiles = new Map([...folderFiles].filter(([name]) => name.endsWith('.csv')));
  // A strategy or benchmark without its CSV is a config error too: reported with the others, before any data is read.
  const missingFiles = [...strategiesWithoutFile(rawConfig, csvFiles, configFile), ...benchmarkWithoutFile(rawConfig, csvFiles, configFile)];
  const { config, errors: configErrors, warnings: configWarnings } = validateConfig(rawConfig, configFile);
  if (config === null || missingFiles.length > 0) throw new InputErrors([...configErrors, ...missingFiles]);

  const warnings: InputWarning[] = [...configWarnings, ...unconfiguredFileWarnings(csvFiles, config)];

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
  if (errors.length === 0) errors.push(...calendarErrors(records, benchmark, config, configFile));
  if (errors.length > 0) throw new InputErrors(errors);

  const validation: Validation = {
    configFile,
    config,
    warnings,
    inputs: [...records.map(inputFile), ...(benchmark === null ? [] : [inputFile(benchmark)])],
  };
  const { previous, comparedWith } = await previousInputs(storage, input);
  if (previous !== null) {
    const comparison = await compareWithPrevious(storage, previous, config, records);
    warnings.push(...comparison.warnings);
    validation.restatements = comparison.summary;
    validation.previousCopy = comparison.notes;
    validation.nothingNew = !comparison.gainedDates && (await sameText(storage, joinKey(previous.prefix, configFile), configText));
    await storage.put(artifactKey(input.workPrefix, 'restatements'), comparison.csv);
  }
  const validationKey = artifactKey(input.workPrefix, 'validation');
  const trackRecordsKey = artifactKey(input.workPrefix, 'trackRecords');
  await writeJson(storage, validationKey, validation);
  await storage.put(trackRecordsKey, streamTrackRecords(records));
  if (benchmark !== null) await storage.put(artifactKey(input.workPrefix, 'benchmark'), encodeBenchmark(benchmark));
  return {
    validationKey,
    trackRecordsKey,
    strategies: records.length,
    rows: strategyRows(records),
    warnings: warnings.length,
    ...(comparedWith === undefined ? {} : { comparedWith }),
  };
}

/** The previous copy of the inputs: the folder given, or the published run's input snapshot. */
async function previousInputs(storage: Storage, input: LoadInput): Promise<{ previous: PreviousInputs | null; comparedWith?: string | null }> {
  if (input.previousRun === 'latest') {
    const { pointer } = await readLatest(storage);
    return pointer === null ? { previous: null, comparedWith: null } : { previous: { prefix: pointer.input, label: pointer.runId }, comparedWith: pointer.runId };
  }
  if (input.previousDataPrefix === undefined) return { previous: null };
  return { previous: { prefix: input.previousDataPrefix, label: input.previousLabel ?? input.previousDataPrefix } };
}

/** Whether `key` exists and holds `text`. */
async function sameText(storage: Storage, key: string, text: string): Promise<boolean> {
  const stored = await storage.getTagged(key);
  return stored !== null && new TextDecoder().decode(stored.bytes) === text;
}

function findDefaultConfig(folderFiles: ReadonlyMap<string, StoredObject>, dataPrefix: string): string {
  for (const name of DEFAULT_CONFIG_NAMES) if (folderFiles.has(name)) return joinKey(dataPrefix, name);
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
