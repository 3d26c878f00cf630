/**
 * Stage Scenarios (SPEC 13): each scenario's config runs the whole day loop on the same scaled
 * data and leaves its comparison entry and its portfolio equity in the work folder. Scenario runs
 * write no CSVs. The cloud runs one scenario per Map item; the local run loops over them.
 */
import type { z } from 'zod';
import { scenarioConfig } from '#shared/config/scenarioConfig.ts';
import { at } from '#shared/collections.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { comparisonEntry, comparisonJsonText, portfolioOnly, type Comparison, type ComparisonEntry } from '#shared/report/comparison.ts';
import { joinKey, type Storage } from '#shared/storage/storage.ts';
import { computeResults, type Results } from '#shared/model/results.ts';
import type { Validation } from '#shared/model/validation.ts';
import { artifactKey, decodeScaled, readBundle, readJson, writeJson } from './artifacts.ts';
import { decodeColumnBundle, encodeColumnBundle } from './columnBundle.ts';
import type { ProgressListener } from './progress.ts';
import { itemIndex, workInputSchema } from './stageInputs.ts';

/** One Map item of the Scenarios state: which scenario, on which run's work folder. */
export const scenarioInputSchema = workInputSchema.extend({ index: itemIndex });
export type ScenarioInput = z.infer<typeof scenarioInputSchema>;

export function scenarioKeys(workPrefix: string, index: number): { entry: string; equity: string } {
  return { entry: joinKey(workPrefix, `scenarios/${index}.json`), equity: joinKey(workPrefix, `scenarios/${index}.equity.bin`) };
}

export async function runScenario(storage: Storage, { workPrefix, index }: ScenarioInput): Promise<{ entryKey: string }> {
  const { config } = await readJson<Validation>(storage, artifactKey(workPrefix, 'validation'));
  const scaled = await readBundle(storage, artifactKey(workPrefix, 'scaled'), decodeScaled);
  const scenario = at(config.scenarios, index);
  const merged = scenarioConfig(config, scenario);
  const { series, results } = computeResults(merged, scaled);
  const keys = scenarioKeys(workPrefix, index);
  await writeJson(storage, keys.entry, comparisonEntry(scenario.name, scenario.overrides, merged, results));
  await storage.put(keys.equity, encodeColumnBundle({}, new Map([['equity', series.ledger.portfolio.equity]])));
  return { entryKey: keys.entry };
}

/** Every scenario, one after the other: the local run's stage. */
export async function runScenarios(storage: Storage, { workPrefix }: { workPrefix: string }, progress?: ProgressListener): Promise<{ scenarios: number }> {
  const { config } = await readJson<Validation>(storage, artifactKey(workPrefix, 'validation'));
  for (let index = 0; index < config.scenarios.length; index += 1) {
    progress?.({ stage: 'scenarios', done: index, total: config.scenarios.length });
    await runScenario(storage, { workPrefix, index });
  }
  return { scenarios: config.scenarios.length };
}

/**
 * The base run beside every scenario, with the portfolio's metrics only (what the terminal, the
 * email and the index show), or null without scenarios. Entries are read one at a time and cut
 * down at once: 41 scenarios of 2,000 strategies are 700 MB of JSON, which the notifier must not hold.
 */
export async function readComparisonSummary(storage: Storage, workPrefix: string, config: PortfolioConfig, results: Results): Promise<Comparison | null> {
  if (config.scenarios.length === 0) return null;
  const scenarios: ComparisonEntry[] = [];
  for (let index = 0; index < config.scenarios.length; index += 1) {
    scenarios.push(portfolioOnly(await readJson<ComparisonEntry>(storage, scenarioKeys(workPrefix, index).entry)));
  }
  return { base: portfolioOnly(comparisonEntry('base', {}, config, results)), scenarios };
}

/** comparison.json written as it is read, entry by entry (`comparisonJsonText`). */
export function comparisonJson(storage: Storage, workPrefix: string, config: PortfolioConfig, results: Results): AsyncIterable<string> {
  return comparisonJsonText(comparisonEntry('base', {}, config, results), storedScenarioEntries(storage, workPrefix, config.scenarios.length));
}

async function* storedScenarioEntries(storage: Storage, workPrefix: string, count: number): AsyncIterable<string> {
  for (let index = 0; index < count; index += 1) yield new TextDecoder().decode(await storage.get(scenarioKeys(workPrefix, index).entry));
}

export async function readScenarioEquity(storage: Storage, workPrefix: string, index: number): Promise<Float64Array> {
  const bundle = decodeColumnBundle<unknown>(await storage.get(scenarioKeys(workPrefix, index).equity));
  return bundle.columns.get('equity') as Float64Array;
}
