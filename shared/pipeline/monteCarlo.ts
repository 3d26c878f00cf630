/**
 * Stage Monte Carlo (SPEC 20), after Scenarios: the forward-risk bootstrap as independent chunks
 * of paths and a merge. Plan writes the chunks as items (each a first path and a count); each
 * chunk reads the scaled data, computes its paths from the seed alone (the generator jumps to
 * its first draw) and leaves their figures and equity curves by key; the merge reads the chunks
 * in order and leaves montecarlo.json and the fan CSV in the work folder for Write data files.
 * The cloud runs the chunks as a Map (Plan Monte Carlo, Monte Carlo, Merge Monte Carlo); the
 * local run loops over them here. Off (no chunk, nothing written) unless the config sets `monteCarlo`.
 */
import { z } from 'zod';
import { pathContext, pathFigures, type PathChunk, type PathContext, type PathFigures } from '#shared/calc/bootstrapPaths.ts';
import { EquityByDay, monteCarloJson } from '#shared/calc/monteCarloSummary.ts';
import type { MonteCarloConfig } from '#shared/config/monteCarloSchema.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { bootstrapDates, bootstrapSource, rowsOnCalendar } from '#shared/model/bootstrapSource.ts';
import { MONTE_CARLO_CHUNK_PATHS, monteCarloChunks, type MonteCarloChunkItem } from '#shared/model/monteCarloChunks.ts';
import type { Validation } from '#shared/model/validation.ts';
import { InputErrors } from '#shared/problems.ts';
import { fanCsvText, MONTE_CARLO_FILES, nonFiniteFanError } from '#shared/report/monteCarloFiles.ts';
import { joinKey, type Storage } from '#shared/storage/storage.ts';
import { artifactKey, decodeScaled, decodeTrackRecords, readBundle, readJson, writeJson } from './artifacts.ts';
import { decodeColumnBundle, encodeColumnBundle } from './columnBundle.ts';
import type { ProgressListener } from './progress.ts';
import { itemIndex, workInputSchema } from './stageInputs.ts';

export interface MonteCarloPlan {
  paths: number;
  chunks: number;
  /** The chunks' indexes, for an inline Map (empty when off, or when more than the inline limit: the Distributed Map reads `itemsKey`). */
  indexes: number[];
  /** The chunks as an S3 JSON list of items, for a Map ('' when off). */
  itemsKey: string;
}

export const planMonteCarloInputSchema = workInputSchema;
/** A Map item of the Monte Carlo state: which chunk of paths. */
export const monteCarloChunkInputSchema = workInputSchema.extend({ chunk: itemIndex });
/** Merge Monte Carlo: the plan's chunk count (`$.monteCarlo`), 0 when off. */
export const mergeMonteCarloInputSchema = workInputSchema.extend({ monteCarlo: z.object({ chunks: z.number().int().nonnegative() }) });

export function monteCarloKeys(workPrefix: string) {
  return {
    items: joinKey(workPrefix, 'montecarlo/items.json'),
    chunk: (chunk: number) => joinKey(workPrefix, `montecarlo/chunk-${chunk}.bin`),
    json: joinKey(workPrefix, `montecarlo/${MONTE_CARLO_FILES.json}`),
    fan: joinKey(workPrefix, `montecarlo/${MONTE_CARLO_FILES.fan}`),
  };
}

/** `inlineLimit`: more chunks than this go to a Distributed Map, which reads them from S3; the state then carries none. */
export async function planMonteCarlo(
  storage: Storage,
  { workPrefix }: { workPrefix: string },
  chunkPaths = MONTE_CARLO_CHUNK_PATHS,
  inlineLimit = Number.POSITIVE_INFINITY,
): Promise<MonteCarloPlan> {
  const { config } = await readJson<Validation>(storage, artifactKey(workPrefix, 'validation'));
  if (config.monteCarlo === undefined) return { paths: 0, chunks: 0, indexes: [], itemsKey: '' };
  const items = monteCarloChunks(config.monteCarlo.paths, chunkPaths);
  const itemsKey = monteCarloKeys(workPrefix).items;
  await writeJson(storage, itemsKey, items);
  return { paths: config.monteCarlo.paths, chunks: items.length, indexes: items.length <= inlineLimit ? items.map(({ chunk }) => chunk) : [], itemsKey };
}

async function readMonteCarloConfig(storage: Storage, workPrefix: string): Promise<{ config: PortfolioConfig; settings: MonteCarloConfig }> {
  const { config } = await readJson<Validation>(storage, artifactKey(workPrefix, 'validation'));
  const settings = config.monteCarlo;
  if (settings === undefined) throw new Error('the Monte Carlo stage ran on a config without monteCarlo');
  return { config, settings };
}

async function loadPathContext(storage: Storage, workPrefix: string): Promise<PathContext> {
  const { config, settings } = await readMonteCarloConfig(storage, workPrefix);
  const scaled = await readBundle(storage, artifactKey(workPrefix, 'scaled'), decodeScaled);
  // Of the track records only which dates carry a row is kept, and the context keeps its own copy
  // of the rows: once it is made, nothing holds the records or the scaled data read here.
  const rows = rowsOnCalendar(scaled.aligned.calendar, await readBundle(storage, artifactKey(workPrefix, 'trackRecords'), decodeTrackRecords));
  return pathContext(bootstrapSource(config, settings, scaled, rows));
}

/** One chunk (a Map item in the cloud): its paths' figures and equity curves, by key. */
export async function runMonteCarloChunk(storage: Storage, { workPrefix, ...item }: MonteCarloChunkItem & { workPrefix: string }): Promise<{ chunkKey: string }> {
  return writeChunk(storage, workPrefix, await loadPathContext(storage, workPrefix), item);
}

async function writeChunk(storage: Storage, workPrefix: string, context: PathContext, { chunk, firstPath, paths }: MonteCarloChunkItem): Promise<{ chunkKey: string }> {
  const result = pathFigures(context, firstPath, paths);
  const chunkKey = monteCarloKeys(workPrefix).chunk(chunk);
  await storage.put(chunkKey, encodeColumnBundle({ firstPath, figures: result.figures }, new Map([['equity', result.equity]])));
  return { chunkKey };
}

/** A Map item: the chunk's first path and count as the plan listed them. */
export async function runPlannedMonteCarloChunk(storage: Storage, { workPrefix, chunk }: { workPrefix: string; chunk: number }): Promise<{ chunkKey: string }> {
  const items = await readJson<MonteCarloChunkItem[]>(storage, monteCarloKeys(workPrefix).items);
  const item = items[chunk];
  if (item === undefined) throw new Error(`chunk ${chunk} is not among the ${items.length} the plan listed`);
  return runMonteCarloChunk(storage, { workPrefix, ...item });
}

function decodeChunk(bytes: Uint8Array): PathChunk {
  const bundle = decodeColumnBundle<{ firstPath: number; figures: PathFigures[] }>(bytes);
  return { ...bundle.meta, equity: bundle.columns.get('equity') as Float64Array };
}

/** Reads the chunks in order and leaves montecarlo.json and the fan CSV in the work folder. */
export async function mergeMonteCarlo(storage: Storage, { workPrefix, chunks }: { workPrefix: string; chunks: number }): Promise<{ keys: string[] }> {
  if (chunks === 0) return { keys: [] }; // off: nothing to merge
  const { config, settings } = await readMonteCarloConfig(storage, workPrefix);
  // The calendar alone: the merge copies no rows.
  const { source, pathDates } = bootstrapDates((await readBundle(storage, artifactKey(workPrefix, 'scaled'), decodeScaled)).aligned.calendar.slice(), settings);
  const keys = monteCarloKeys(workPrefix);
  const figures: PathFigures[] = [];
  const equity = new EquityByDay(settings.paths, settings.horizonDays);
  for (let chunk = 0; chunk < chunks; chunk += 1) {
    const paths = decodeChunk(await storage.get(keys.chunk(chunk)));
    figures.push(...paths.figures);
    equity.add(paths);
  }
  await writeJson(storage, keys.json, monteCarloJson(config, settings, source, figures));
  const fan = equity.fan();
  const nonFinite = nonFiniteFanError(fan);
  if (nonFinite !== null) throw new InputErrors([nonFinite]);
  await storage.put(keys.fan, fanCsvText(pathDates, fan));
  return { keys: [keys.json, keys.fan] };
}

/** Runs chunks of paths and leaves each one's figures by key: one after the other by default, or shared among threads (`cli/monteCarloWorkers.ts`). */
export type MonteCarloChunkRunner = (workPrefix: string, items: readonly MonteCarloChunkItem[], progress?: ProgressListener) => Promise<void>;

/** Every chunk one after the other, on this thread, from one path context read for them all. */
export function monteCarloChunksInOrder(storage: Storage): MonteCarloChunkRunner {
  return async (workPrefix, items, progress) => {
    if (items.length === 0) return;
    const context = await loadPathContext(storage, workPrefix);
    for (const item of items) {
      progress?.({ stage: 'paths', done: item.firstPath, total: items.reduce((sum, each) => Math.max(sum, each.firstPath + each.paths), 0) });
      await writeChunk(storage, workPrefix, context, item);
    }
  };
}

/** The local run's stage: plan, every chunk, merge (the chunks in their order, whoever ran them). */
export async function runMonteCarlo(
  storage: Storage,
  { workPrefix }: { workPrefix: string },
  progress?: ProgressListener,
  runChunks: MonteCarloChunkRunner = monteCarloChunksInOrder(storage),
): Promise<MonteCarloPlan> {
  const plan = await planMonteCarlo(storage, { workPrefix });
  if (plan.chunks === 0) return plan;
  const items = await readJson<MonteCarloChunkItem[]>(storage, plan.itemsKey);
  await runChunks(workPrefix, items, progress && ((event) => progress({ ...event, total: plan.paths })));
  await mergeMonteCarlo(storage, { workPrefix, chunks: plan.chunks });
  return plan;
}

/** The merged files, copied into the report by Write data files when the config sets monteCarlo. */
export async function copyMonteCarloFiles(storage: Storage, workPrefix: string, outputKey: (name: string) => string): Promise<string[]> {
  const keys = monteCarloKeys(workPrefix);
  await storage.copy(keys.json, outputKey(MONTE_CARLO_FILES.json));
  await storage.copy(keys.fan, outputKey(MONTE_CARLO_FILES.fan));
  return [MONTE_CARLO_FILES.json, MONTE_CARLO_FILES.fan];
}
