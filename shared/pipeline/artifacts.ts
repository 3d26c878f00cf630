/**
 * What one stage leaves for the next, by key under the run's work prefix, and how each is
 * packed: columns as a column bundle, small figures as JSON.
 */
import type { AlignedSeries } from '#shared/calc/align.ts';
import { nonFiniteJsonError } from '#shared/calc/nonFinite.ts';
import type { BenchmarkSeries } from '#shared/calc/benchmarkResults.ts';
import type { ScaledSeries } from '#shared/calc/scale.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import type { TrackRecord } from '#shared/ingest/readTrackRecord.ts';
import type { Results } from '#shared/model/results.ts';
import { runSeriesColumns, type AccountColumn, type LedgerMeta, type RunSeries, type RunTotals, type SleeveColumn } from '#shared/model/runSeries.ts';
import type { InputData, LoopData, ScaledData } from '#shared/model/scaledData.ts';
import type { Validation } from '#shared/model/validation.ts';
import { InputErrors } from '#shared/problems.ts';
import type { StrategySeries } from '#shared/report/reportFiles.ts';
import { baseName, joinKey, type Storage } from '#shared/storage/storage.ts';
import { columnBundleStream, decodeColumnBundle, encodeColumnBundle, readBundleColumns, readBundleLayout, type Column, type ColumnBundle } from './columnBundle.ts';

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

/** The track records as they are stored, streamed: no second copy of their columns in memory. */
export function streamTrackRecords(records: readonly TrackRecord[]): AsyncIterable<Uint8Array> {
  const columns = new Map<string, Column>();
  records.forEach((record, s) => {
    columns.set(`${s}.dates`, record.dates);
    columns.set(`${s}.returns`, record.returns);
    columns.set(`${s}.marginUsed`, record.marginUsed);
    columns.set(`${s}.notional`, record.notional);
  });
  const meta = records.map(({ strategy, file, rows, sha256 }) => ({ strategy, file, rows, sha256 }));
  return columnBundleStream(meta, columns);
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

/**
 * Stored a kind of column at a time (every strategy's returns, then every strategy's margin...):
 * a reader that wants some kinds for every strategy (the master file, a page of every level)
 * reads a few contiguous ranges, not the whole bundle.
 */
function scaledBundle({ aligned, scaled }: ScaledData): { meta: { spanStart: number; spanEnd: number }[]; columns: Map<string, Column> } {
  const columns = new Map<string, Column>([['calendar', aligned.calendar]]);
  for (const name of alignedColumns) aligned.series.forEach((series, s) => columns.set(`${s}.${name}`, series[name]));
  for (const name of scaledColumns) scaled.forEach((series, s) => columns.set(`${s}.${name}`, series[name]));
  return { meta: aligned.series.map(({ spanStart, spanEnd }) => ({ spanStart, spanEnd })), columns };
}

export function decodeScaled(bytes: Uint8Array): ScaledData {
  const bundle = decodeColumnBundle<Spans>(bytes);
  const series = bundle.meta.map((span, s) => alignedSeriesOf(bundle, span, s));
  const scaled = bundle.meta.map((_, s) => scaledSeriesOf(bundle, s));
  return { aligned: { calendar: column<Int32Array>(bundle, 'calendar'), series }, scaled };
}

function alignedSeriesOf(bundle: ColumnBundle<unknown>, span: Spans[number], s: number): AlignedSeries {
  return {
    ...span,
    returns: column<Float64Array>(bundle, `${s}.returns`),
    marginUsed: column<Float64Array>(bundle, `${s}.marginUsed`),
    notional: column<Float64Array>(bundle, `${s}.notional`),
  };
}

function scaledSeriesOf(bundle: ColumnBundle<unknown>, s: number): ScaledSeries {
  return {
    impliedUnits: column<Float64Array>(bundle, `${s}.impliedUnits`),
    units: column<Float64Array>(bundle, `${s}.units`),
    scaledMargin: column<Float64Array>(bundle, `${s}.scaledMargin`),
    scaledNotional: column<Float64Array>(bundle, `${s}.scaledNotional`),
    scaledReturn: column<Float64Array>(bundle, `${s}.scaledReturn`),
    unsizedReturn: column<Uint8Array>(bundle, `${s}.unsizedReturn`),
  };
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
] as const satisfies readonly SleeveColumn[];
const accountColumns = ['equity', 'cash', 'marginUsed', 'notional'] as const satisfies readonly AccountColumn[];

/** The run's series as they are stored, streamed: no second copy of its columns in memory. */
export function streamRunSeries(series: RunSeries): AsyncIterable<Uint8Array> {
  const { meta, columns } = runSeriesBundle(series);
  return columnBundleStream(meta, columns);
}

function runSeriesBundle(series: RunSeries): { meta: LedgerMeta; columns: Map<string, Column> } {
  const { ledger } = series;
  const { sleeve, account, portfolio } = runSeriesColumns;
  const columns = new Map<string, Column>();
  // A kind at a time, as the scaled columns are.
  for (const name of sleeveColumns) ledger.sleeves.forEach((ledgerSleeve, s) => columns.set(sleeve(s, name), ledgerSleeve[name]));
  ledger.accounts.forEach((ledgerAccount, a) => {
    for (const name of accountColumns) columns.set(account(a, name), ledgerAccount[name]);
    columns.set(account(a, 'returns'), series.accountReturns[a] as Float64Array);
    columns.set(account(a, 'utilization'), series.accountUtilization[a] as Float64Array);
  });
  columns.set(portfolio('equity'), ledger.portfolio.equity);
  columns.set(portfolio('marginUsed'), ledger.portfolio.marginUsed);
  columns.set(portfolio('notional'), ledger.portfolio.notional);
  columns.set(portfolio('returns'), series.portfolioReturns);
  columns.set(portfolio('utilization'), series.portfolioUtilization);
  columns.set(portfolio('leverage'), series.leverage);
  const { rebalances, entries, maxConcurrent, riskParityFallbacks, lastDayCapital } = ledger;
  const meta: LedgerMeta = {
    wipeoutDays: ledger.sleeves.map((ledgerSleeve) => ledgerSleeve.wipeoutDay),
    accounts: ledger.accounts.length,
    rebalances,
    entries,
    maxConcurrent,
    riskParityFallbacks,
    lastDayCapital,
  };
  return { meta, columns };
}

export function decodeRunSeries(bytes: Uint8Array): RunSeries {
  const bundle = decodeColumnBundle<LedgerMeta>(bytes);
  const { sleeve } = runSeriesColumns;
  const f64 = (name: string): Float64Array => column<Float64Array>(bundle, name);
  const sleeves = bundle.meta.wipeoutDays.map((wipeoutDay, s) => ({
    wipeoutDay,
    traded: column<Uint8Array>(bundle, sleeve(s, 'traded')),
    blocked: column<Uint8Array>(bundle, sleeve(s, 'blocked')),
    units: f64(sleeve(s, 'units')),
    margin: f64(sleeve(s, 'margin')),
    notional: f64(sleeve(s, 'notional')),
    scaledReturn: f64(sleeve(s, 'scaledReturn')),
    sleeveReturn: f64(sleeve(s, 'sleeveReturn')),
    equity: f64(sleeve(s, 'equity')),
    marginUtilization: f64(sleeve(s, 'marginUtilization')),
  }));
  const totals = runTotalsOf(bundle);
  return { ...totals, ledger: { ...totals.ledger, sleeves } };
}

/** The run's totals from a bundle holding at least every account's and the portfolio's columns and each sleeve's equity. */
function runTotalsOf(bundle: ColumnBundle<LedgerMeta>): RunTotals {
  const { sleeve, account, portfolio } = runSeriesColumns;
  const f64 = (name: string): Float64Array => column<Float64Array>(bundle, name);
  const accountIndexes = Array.from({ length: bundle.meta.accounts }, (_, a) => a);
  const accounts = accountIndexes.map((a) => ({
    equity: f64(account(a, 'equity')),
    cash: f64(account(a, 'cash')),
    marginUsed: f64(account(a, 'marginUsed')),
    notional: f64(account(a, 'notional')),
  }));
  const { rebalances, entries, maxConcurrent, riskParityFallbacks, lastDayCapital } = bundle.meta;
  return {
    ledger: {
      detailed: true,
      sleeves: bundle.meta.wipeoutDays.map((_, s) => ({ equity: f64(sleeve(s, 'equity')) })),
      accounts,
      portfolio: { equity: f64(portfolio('equity')), marginUsed: f64(portfolio('marginUsed')), notional: f64(portfolio('notional')) },
      rebalances,
      entries,
      maxConcurrent,
      riskParityFallbacks,
      lastDayCapital,
    },
    accountReturns: accountIndexes.map((a) => f64(account(a, 'returns'))),
    accountUtilization: accountIndexes.map((a) => f64(account(a, 'utilization'))),
    portfolioReturns: f64(portfolio('returns')),
    portfolioUtilization: f64(portfolio('utilization')),
    leverage: f64(portfolio('leverage')),
  };
}

/** Some columns of a stored bundle, read by range: a stage that writes a file at a time holds that file's columns alone. */
async function readStoredColumns<Meta>(storage: Storage, key: string, names: (meta: Meta) => Iterable<string>): Promise<ColumnBundle<Meta>> {
  const ranged = (start: number, end: number): Promise<Uint8Array> => storage.getRange(key, start, end);
  const layout = await readBundleLayout<Meta>(ranged);
  return readBundleColumns(ranged, layout, names(layout.meta));
}

type Spans = { spanStart: number; spanEnd: number }[];

/** The calendar, the spans and every strategy's scaled columns, read by range: not the input columns as aligned. */
export async function readLoopData(storage: Storage, workPrefix: string): Promise<LoopData> {
  const bundle = await readStoredColumns<Spans>(storage, artifactKey(workPrefix, 'scaled'), (meta) => [
    'calendar',
    ...scaledColumns.flatMap((name) => meta.map((_, s) => `${s}.${name}`)),
  ]);
  return { aligned: { calendar: column<Int32Array>(bundle, 'calendar'), series: bundle.meta }, scaled: bundle.meta.map((_, s) => scaledSeriesOf(bundle, s)) };
}

/** The calendar and every strategy's input as aligned and implied units, read by range: what the data files show beside the ledger. */
export async function readInputData(storage: Storage, workPrefix: string): Promise<InputData> {
  const bundle = await readStoredColumns<Spans>(storage, artifactKey(workPrefix, 'scaled'), (meta) => [
    'calendar',
    ...[...alignedColumns, 'impliedUnits'].flatMap((name) => meta.map((_, s) => `${s}.${name}`)),
  ]);
  return {
    aligned: { calendar: column<Int32Array>(bundle, 'calendar'), series: bundle.meta.map((span, s) => alignedSeriesOf(bundle, span, s)) },
    scaled: bundle.meta.map((_, s) => ({ impliedUnits: column<Float64Array>(bundle, `${s}.impliedUnits`) })),
  };
}

/** The run's calendar, read alone from the scaled columns. */
export async function readCalendar(storage: Storage, workPrefix: string): Promise<Int32Array> {
  return column<Int32Array>(await readStoredColumns(storage, artifactKey(workPrefix, 'scaled'), () => ['calendar']), 'calendar');
}

/** The sleeve columns the master file shows. */
const masterSleeveColumns = ['units', 'margin', 'notional', 'scaledReturn', 'equity', 'marginUtilization'] as const satisfies readonly SleeveColumn[];

/** Every strategy's series of the master file (SPEC 6), and nothing else of the stored columns. */
export async function readStrategySeries(storage: Storage, workPrefix: string, strategies: number): Promise<StrategySeries[]> {
  const indexes = Array.from({ length: strategies }, (_, s) => s);
  const { sleeve } = runSeriesColumns;
  const scaled = await readStoredColumns(storage, artifactKey(workPrefix, 'scaled'), () =>
    indexes.flatMap((s) => [...alignedColumns.map((name) => `${s}.${name}`), `${s}.impliedUnits`]),
  );
  const ledger = await readStoredColumns(storage, artifactKey(workPrefix, 'ledger'), () => indexes.flatMap((s) => masterSleeveColumns.map((name) => sleeve(s, name))));
  const f64 = (bundle: ColumnBundle<unknown>, name: string): Float64Array => column<Float64Array>(bundle, name);
  return indexes.map((s) => ({
    input: { returns: f64(scaled, `${s}.returns`), marginUsed: f64(scaled, `${s}.marginUsed`), notional: f64(scaled, `${s}.notional`) },
    impliedUnits: f64(scaled, `${s}.impliedUnits`),
    sleeve: {
      units: f64(ledger, sleeve(s, 'units')),
      margin: f64(ledger, sleeve(s, 'margin')),
      notional: f64(ledger, sleeve(s, 'notional')),
      scaledReturn: f64(ledger, sleeve(s, 'scaledReturn')),
      equity: f64(ledger, sleeve(s, 'equity')),
      marginUtilization: f64(ledger, sleeve(s, 'marginUtilization')),
    },
  }));
}

/** The run's totals (`RunTotals`): the stored ledger without the sleeves' columns but their equity. */
export async function readRunTotals(storage: Storage, workPrefix: string): Promise<RunTotals> {
  const { sleeve, account, portfolio } = runSeriesColumns;
  const accountNames = [...accountColumns, 'returns', 'utilization'] as const satisfies readonly AccountColumn[];
  const bundle = await readStoredColumns<LedgerMeta>(storage, artifactKey(workPrefix, 'ledger'), (meta) => [
    ...meta.wipeoutDays.map((_, s) => sleeve(s, 'equity')),
    ...Array.from({ length: meta.accounts }, (_, a) => accountNames.map((name) => account(a, name))).flat(),
    ...(['equity', 'marginUsed', 'notional', 'returns', 'utilization', 'leverage'] as const).map((name) => portfolio(name)),
  ]);
  return runTotalsOf(bundle);
}

export async function readBundle<T>(storage: Storage, key: string, decode: (bytes: Uint8Array) => T): Promise<T> {
  return decode(await storage.get(key));
}
