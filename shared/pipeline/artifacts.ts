/**
 * What one stage leaves for the next, by key under the run's work prefix, and how each is
 * packed: columns as a column bundle, small figures as JSON.
 */
import type { AlignedData, AlignedSeries } from '#shared/calc/align.ts';
import { nonFiniteJsonError } from '#shared/calc/nonFinite.ts';
import type { BenchmarkSeries, BenchmarkSummary } from '#shared/calc/benchmarkResults.ts';
import type { AccountLedger, Ledger, SleeveLedger } from '#shared/calc/compound.ts';
import type { Metrics } from '#shared/calc/metrics.ts';
import type { PartBChecks, PartBResults } from '#shared/calc/partBResults.ts';
import type { PartCResults } from '#shared/calc/partCResults.ts';
import type { Checks } from '#shared/calc/reconcile.ts';
import type { RestatementsCheck, RestatementsSummary } from '#shared/calc/restatements.ts';
import type { ScaledSeries } from '#shared/calc/scale.ts';
import type { DollarTailRisk } from '#shared/calc/valueAtRisk.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import type { TrackRecord } from '#shared/ingest/readTrackRecord.ts';
import { InputErrors, type InputWarning } from '#shared/problems.ts';
import { baseName, joinKey, type Storage } from '#shared/storage/storage.ts';
import { columnBundleStream, decodeColumnBundle, encodeColumnBundle, type Column, type ColumnBundle } from './columnBundle.ts';

export const artifactNames = {
  validation: 'validation.json',
  trackRecords: 'track-records.bin',
  scaled: 'scaled.bin',
  ledger: 'ledger.bin',
  results: 'results.json',
  benchmark: 'benchmark.bin',
  restatements: 'restatements.csv',
  finalEquity: 'final-equity.json',
} as const;

export function artifactKey(workPrefix: string, artifact: keyof typeof artifactNames): string {
  return joinKey(workPrefix, artifactNames[artifact]);
}

export interface InputFile {
  file: string;
  sha256: string;
  rows: number;
}

/** Left by Load+Validate: the resolved config, the warnings and what was read. */
export interface Validation {
  configFile: string;
  config: PortfolioConfig;
  warnings: InputWarning[];
  inputs: InputFile[];
  /** SPEC 19.2, when a previous copy of the inputs was compared (its rows are the `restatements` artifact). */
  restatements?: RestatementsSummary;
}

/** The metrics of an account or the portfolio: section 7's and 18.1's, with the tail risk in dollars too. */
export type LevelMetrics = Metrics & DollarTailRisk;

/** Left by Compound+Reconcile: every figure of summary.json that is not about the inputs. */
export interface Results {
  checks: Checks & Partial<PartBChecks> & PartCResults['checks'] & { restatements?: RestatementsCheck };
  unsizedReturns: Record<string, { count: number; dates: string[] }>;
  wipeouts: Record<string, string>;
  metrics: { strategies: Record<string, Metrics>; accounts: Record<string, LevelMetrics>; portfolio: LevelMetrics };
  /** What part B adds when it is in use (SPEC 14); null otherwise. */
  partB: Omit<PartBResults, 'checks'> | null;
  /** Part C's as-of figures and attribution (SPEC 15, 16), on every run. */
  asOf: PartCResults['asOf'];
  attribution: PartCResults['attribution'];
  /** SPEC 17, when the config names a benchmark. */
  benchmark?: BenchmarkSummary;
}

export async function readJson<T>(storage: Storage, key: string): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await storage.get(key))) as T;
}

/** A figure that is not finite ends the run as bad input: JSON would write it as null, a value it is not. */
export async function writeJson(storage: Storage, key: string, value: unknown): Promise<void> {
  const nonFinite = nonFiniteJsonError(baseName(key), value);
  if (nonFinite !== null) throw new InputErrors([nonFinite]);
  await storage.put(key, `${JSON.stringify(value, null, 2)}\n`);
}

function column<T extends Column>(bundle: ColumnBundle<unknown>, name: string): T {
  const found = bundle.columns.get(name);
  if (found === undefined) throw new Error(`column ${name} is missing from a stage's output`);
  return found as T;
}

export function encodeTrackRecords(records: readonly TrackRecord[]): Uint8Array {
  const columns = new Map<string, Column>();
  records.forEach((record, s) => {
    columns.set(`${s}.dates`, record.dates);
    columns.set(`${s}.returns`, record.returns);
    columns.set(`${s}.marginUsed`, record.marginUsed);
    columns.set(`${s}.notional`, record.notional);
  });
  const meta = records.map(({ strategy, file, rows, sha256 }) => ({ strategy, file, rows, sha256 }));
  return encodeColumnBundle(meta, columns);
}

export function decodeTrackRecords(bytes: Uint8Array): TrackRecord[] {
  const bundle = decodeColumnBundle<Omit<TrackRecord, 'dates' | 'returns' | 'marginUsed' | 'notional'>[]>(bytes);
  return bundle.meta.map((meta, s) => ({
    ...meta,
    dates: column<Int32Array>(bundle, `${s}.dates`),
    returns: column<Float64Array>(bundle, `${s}.returns`),
    marginUsed: column<Float64Array>(bundle, `${s}.marginUsed`),
    notional: column<Float64Array>(bundle, `${s}.notional`),
  }));
}

/** The benchmark's file as read (SPEC 17): its dates and returns. */
export function encodeBenchmark(series: BenchmarkSeries): Uint8Array {
  return encodeColumnBundle({}, new Map<string, Column>([['dates', series.dates], ['returns', series.returns]]));
}

export function decodeBenchmark(bytes: Uint8Array): BenchmarkSeries {
  const bundle = decodeColumnBundle<unknown>(bytes);
  return { dates: column<Int32Array>(bundle, 'dates'), returns: column<Float64Array>(bundle, 'returns') };
}

/** The benchmark Load+Validate read, or null when the config names none. */
export async function readBenchmarkSeries(storage: Storage, workPrefix: string, config: PortfolioConfig): Promise<BenchmarkSeries | null> {
  return config.benchmark === undefined ? null : decodeBenchmark(await storage.get(artifactKey(workPrefix, 'benchmark')));
}

export interface ScaledData {
  aligned: AlignedData;
  scaled: ScaledSeries[];
}

const alignedColumns = ['returns', 'marginUsed', 'notional'] as const satisfies readonly (keyof AlignedSeries)[];
const scaledColumns = [
  'impliedUnits',
  'units',
  'scaledMargin',
  'scaledNotional',
  'scaledReturn',
  'unsizedReturn',
] as const satisfies readonly (keyof ScaledSeries)[];

/** The scaled columns as they are stored, streamed: no second copy of them in memory. */
export function streamScaled(data: ScaledData): AsyncIterable<Uint8Array> {
  const { meta, columns } = scaledBundle(data);
  return columnBundleStream(meta, columns);
}

function scaledBundle({ aligned, scaled }: ScaledData): { meta: { spanStart: number; spanEnd: number }[]; columns: Map<string, Column> } {
  const columns = new Map<string, Column>([['calendar', aligned.calendar]]);
  aligned.series.forEach((series, s) => {
    for (const name of alignedColumns) columns.set(`${s}.${name}`, series[name]);
  });
  scaled.forEach((series, s) => {
    for (const name of scaledColumns) columns.set(`${s}.${name}`, series[name]);
  });
  return { meta: aligned.series.map(({ spanStart, spanEnd }) => ({ spanStart, spanEnd })), columns };
}

export function decodeScaled(bytes: Uint8Array): ScaledData {
  const bundle = decodeColumnBundle<{ spanStart: number; spanEnd: number }[]>(bytes);
  const series = bundle.meta.map((span, s) => ({
    ...span,
    returns: column<Float64Array>(bundle, `${s}.returns`),
    marginUsed: column<Float64Array>(bundle, `${s}.marginUsed`),
    notional: column<Float64Array>(bundle, `${s}.notional`),
  }));
  const scaled = bundle.meta.map((_, s) => ({
    impliedUnits: column<Float64Array>(bundle, `${s}.impliedUnits`),
    units: column<Float64Array>(bundle, `${s}.units`),
    scaledMargin: column<Float64Array>(bundle, `${s}.scaledMargin`),
    scaledNotional: column<Float64Array>(bundle, `${s}.scaledNotional`),
    scaledReturn: column<Float64Array>(bundle, `${s}.scaledReturn`),
    unsizedReturn: column<Uint8Array>(bundle, `${s}.unsizedReturn`),
  }));
  return { aligned: { calendar: column<Int32Array>(bundle, 'calendar'), series }, scaled };
}

/** The ledger with the derived columns of accounts and the portfolio (SPEC 4). */
export interface Performance {
  ledger: Ledger;
  accountReturns: Float64Array[];
  accountUtilization: Float64Array[];
  portfolioReturns: Float64Array;
  portfolioUtilization: Float64Array;
  leverage: Float64Array;
}

const sleeveColumns = [
  'traded',
  'blocked',
  'units',
  'margin',
  'notional',
  'scaledReturn',
  'sleeveReturn',
  'equity',
  'marginUtilization',
] as const satisfies readonly (keyof SleeveLedger)[];
const accountColumns = ['equity', 'cash', 'marginUsed', 'notional'] as const satisfies readonly (keyof AccountLedger)[];

/** The ledger as it is stored, streamed: no second copy of its columns in memory. */
export function streamPerformance(performance: Performance): AsyncIterable<Uint8Array> {
  const { meta, columns } = performanceBundle(performance);
  return columnBundleStream(meta, columns);
}

function performanceBundle(performance: Performance): { meta: LedgerMeta; columns: Map<string, Column> } {
  const { ledger } = performance;
  const columns = new Map<string, Column>();
  ledger.sleeves.forEach((sleeve, s) => {
    for (const name of sleeveColumns) columns.set(`sleeve${s}.${name}`, sleeve[name]);
  });
  ledger.accounts.forEach((account, a) => {
    for (const name of accountColumns) columns.set(`account${a}.${name}`, account[name]);
    columns.set(`account${a}.returns`, performance.accountReturns[a] as Float64Array);
    columns.set(`account${a}.utilization`, performance.accountUtilization[a] as Float64Array);
  });
  columns.set('portfolio.equity', ledger.portfolio.equity);
  columns.set('portfolio.marginUsed', ledger.portfolio.marginUsed);
  columns.set('portfolio.notional', ledger.portfolio.notional);
  columns.set('portfolio.returns', performance.portfolioReturns);
  columns.set('portfolio.utilization', performance.portfolioUtilization);
  columns.set('portfolio.leverage', performance.leverage);
  const { rebalances, entries, maxConcurrent, riskParityFallbacks, lastDayCapital } = ledger;
  const meta: LedgerMeta = {
    wipeoutDays: ledger.sleeves.map((sleeve) => sleeve.wipeoutDay),
    accounts: ledger.accounts.length,
    rebalances,
    entries,
    maxConcurrent,
    riskParityFallbacks,
    lastDayCapital,
  };
  return { meta, columns };
}

/** The ledger's figures that are not columns. */
export type LedgerMeta = Pick<Ledger, 'rebalances' | 'entries' | 'maxConcurrent' | 'riskParityFallbacks' | 'lastDayCapital'> & {
  wipeoutDays: number[];
  accounts: number;
};

export function decodePerformance(bytes: Uint8Array): Performance {
  const bundle = decodeColumnBundle<LedgerMeta>(bytes);
  const f64 = (name: string): Float64Array => column<Float64Array>(bundle, name);
  const sleeves = bundle.meta.wipeoutDays.map((wipeoutDay, s) => ({
    wipeoutDay,
    traded: column<Uint8Array>(bundle, `sleeve${s}.traded`),
    blocked: column<Uint8Array>(bundle, `sleeve${s}.blocked`),
    units: f64(`sleeve${s}.units`),
    margin: f64(`sleeve${s}.margin`),
    notional: f64(`sleeve${s}.notional`),
    scaledReturn: f64(`sleeve${s}.scaledReturn`),
    sleeveReturn: f64(`sleeve${s}.sleeveReturn`),
    equity: f64(`sleeve${s}.equity`),
    marginUtilization: f64(`sleeve${s}.marginUtilization`),
  }));
  const accountIndexes = Array.from({ length: bundle.meta.accounts }, (_, a) => a);
  const accounts = accountIndexes.map((a) => ({
    equity: f64(`account${a}.equity`),
    cash: f64(`account${a}.cash`),
    marginUsed: f64(`account${a}.marginUsed`),
    notional: f64(`account${a}.notional`),
  }));
  const { rebalances, entries, maxConcurrent, riskParityFallbacks, lastDayCapital } = bundle.meta;
  return {
    ledger: {
      sleeves,
      accounts,
      portfolio: { equity: f64('portfolio.equity'), marginUsed: f64('portfolio.marginUsed'), notional: f64('portfolio.notional') },
      rebalances,
      entries,
      maxConcurrent,
      riskParityFallbacks,
      lastDayCapital,
    },
    accountReturns: accountIndexes.map((a) => f64(`account${a}.returns`)),
    accountUtilization: accountIndexes.map((a) => f64(`account${a}.utilization`)),
    portfolioReturns: f64('portfolio.returns'),
    portfolioUtilization: f64('portfolio.utilization'),
    leverage: f64('portfolio.leverage'),
  };
}

export async function readBundle<T>(storage: Storage, key: string, decode: (bytes: Uint8Array) => T): Promise<T> {
  return decode(await storage.get(key));
}

/** Everything the report stages read: the inputs' validation, the results, the columns. */
export interface RunArtifacts {
  validation: Validation;
  results: Results;
  scaled: ScaledData;
  performance: Performance;
}

export async function readRunArtifacts(storage: Storage, workPrefix: string): Promise<RunArtifacts> {
  return {
    validation: await readJson<Validation>(storage, artifactKey(workPrefix, 'validation')),
    results: await readJson<Results>(storage, artifactKey(workPrefix, 'results')),
    scaled: await readBundle(storage, artifactKey(workPrefix, 'scaled'), decodeScaled),
    performance: await readBundle(storage, artifactKey(workPrefix, 'ledger'), decodePerformance),
  };
}
