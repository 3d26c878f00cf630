/**
 * Stage 3, Compound+Reconcile (SPEC 4, 5, 7, 15, 16, 18.1, 19.1): the day loop, the derived
 * columns of accounts and the portfolio, every check on every date, the metrics, the as-of
 * figures and the attribution.
 */
import type { z } from 'zod';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { finalEquity } from '#shared/model/finalEquity.ts';
import type { LoopData } from '#shared/model/scaledData.ts';
import { computeResults, resultsOutcome, withInputComparisons } from '#shared/model/results.ts';
import type { Validation } from '#shared/model/validation.ts';
import { InputErrors } from '#shared/problems.ts';
import { nonFiniteReportFigure } from '#shared/report/nonFiniteFigure.ts';
import { chunkCount } from '#shared/report/reportChunks.ts';
import { joinKey, type Storage } from '#shared/storage/storage.ts';
import { artifactKey, readBenchmarkSeries, readInputData, readJson, readLoopData, streamRunSeries, writeJson } from './artifacts.ts';
import { chunkItemsKey } from './reportSource.ts';
import { workInputSchema } from './stageInputs.ts';

export const compoundInputSchema = workInputSchema;
export type CompoundInput = z.infer<typeof compoundInputSchema>;

/**
 * What the state machine carries on: keys and counts, never a figure per strategy (a state of
 * 2,000 strategies' final equity passed Step Functions' 256 KiB).
 */
export interface CompoundOutput {
  ledgerKey: string;
  resultsKey: string;
  /** `final-equity.json`: every level's final equity, for the terminal and the email. */
  finalEquityKey: string;
  failedChecks: string[];
  wipeouts: number;
  /** The scenarios to run next, for a Map: their indexes, and the same as an S3 JSON list of items. */
  scenarios: MapItems;
  /** The chunks of levels the chart and page stages fan out over, the same way. */
  reportChunks: MapItems;
}

/** A Map's items: how many, their indexes when an inline Map runs them, and the S3 JSON list a Distributed Map reads. */
export interface MapItems {
  count: number;
  indexes: number[];
  itemsKey: string;
}

/**
 * The day loop and the results on the scaled columns they read; those are let go before the input
 * columns are read for the check of every figure (at 500 x 20 the stage never holds both: -63 MB).
 */
async function resultsOfLoop(storage: Storage, workPrefix: string, config: PortfolioConfig): Promise<{ computed: ReturnType<typeof computeResults>; aligned: LoopData['aligned'] }> {
  const loopData = await readLoopData(storage, workPrefix);
  return { computed: computeResults(config, loopData), aligned: loopData.aligned };
}

/** `inlineLimit`: Map items beyond this many go to a Distributed Map, which reads them from S3; the state then carries none. */
export async function compoundAndReconcile(storage: Storage, input: CompoundInput, inlineLimit = Number.POSITIVE_INFINITY): Promise<CompoundOutput> {
  const validation = await readJson<Validation>(storage, artifactKey(input.workPrefix, 'validation'));
  const { config } = validation;
  const { computed, aligned } = await resultsOfLoop(storage, input.workPrefix, config);
  const { series } = computed;
  const benchmark = await readBenchmarkSeries(storage, input.workPrefix, config);
  const results = withInputComparisons(computed.results, validation, { aligned }, series, benchmark);
  const nonFinite = nonFiniteReportFigure(validation, await readInputData(storage, input.workPrefix), series);
  if (nonFinite !== null) throw new InputErrors([nonFinite]);
  const ledgerKey = artifactKey(input.workPrefix, 'ledger');
  const resultsKey = artifactKey(input.workPrefix, 'results');
  const finalEquityKey = artifactKey(input.workPrefix, 'finalEquity');
  await storage.put(ledgerKey, streamRunSeries(series));
  await writeJson(storage, resultsKey, results);
  await writeJson(storage, finalEquityKey, finalEquity(config, series.ledger));
  const mapItems = async (count: number, itemsKey: string, field: string): Promise<MapItems> => {
    const indexes = Array.from({ length: count }, (_, index) => index);
    await writeJson(storage, itemsKey, indexes.map((index) => ({ [field]: index })));
    return { count, indexes: count <= inlineLimit ? indexes : [], itemsKey };
  };
  return {
    scenarios: await mapItems(config.scenarios.length, joinKey(input.workPrefix, 'scenarios/items.json'), 'index'),
    reportChunks: await mapItems(chunkCount(config), chunkItemsKey(input.workPrefix), 'chunk'),
    ledgerKey,
    resultsKey,
    finalEquityKey,
    ...resultsOutcome(results),
  };
}
