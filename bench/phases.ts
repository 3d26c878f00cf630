/**
 * The three phases of a run, measured one at a time in this process with the project's own
 * functions: parsing (bytes from disk to track records), the arithmetic (align, scale,
 * compound, reconcile, metrics, part C's figures; no I/O) and writing (the report's files, streamed).
 */
import { createWriteStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import { alignTrackRecords } from '#shared/calc/align.ts';
import { scalePositions } from '#shared/calc/scale.ts';
import { at } from '#shared/collections.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { isoDate } from '#shared/dates.ts';
import { readTrackRecord, type TrackRecord } from '#shared/ingest/readTrackRecord.ts';
import { computeResults, type Results } from '#shared/model/results.ts';
import { dailyPnlOf, type RunSeries } from '#shared/model/runSeries.ts';
import type { ScaledData } from '#shared/model/scaledData.ts';
import type { Validation } from '#shared/model/validation.ts';
import { csvChunks, inChunks, type CsvColumn } from '#shared/report/csvText.ts';
import {
  accountColumns,
  buildSummary,
  dailyPnlColumns,
  masterColumns,
  portfolioColumns,
  REPORT_FILES,
  rollingMetricsColumns,
} from '#shared/report/reportFiles.ts';
import type { InputWarning } from '#shared/problems.ts';

const seconds = (since: number): number => (performance.now() - since) / 1000;
/** CPU seconds (user + system) of this process so far: other work on the machine hardly moves them. */
const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

export interface ParsePhase {
  seconds: number;
  cpuSeconds: number;
  /** Of which reading the bytes from disk (`readFile`) alone. */
  readSeconds: number;
  bytesRead: number;
  rows: number;
  records: TrackRecord[];
  warnings: InputWarning[];
}

/** Every configured CSV: read from disk, then `readTrackRecord`. */
export async function parsePhase(dataFolder: string, config: PortfolioConfig): Promise<ParsePhase> {
  const records: TrackRecord[] = [];
  const warnings: InputWarning[] = [];
  let bytesRead = 0;
  let readSeconds = 0;
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  for (const strategy of config.strategies) {
    const file = `${strategy.name}.csv`;
    const readStarted = performance.now();
    const bytes = await readFile(join(dataFolder, file));
    readSeconds += seconds(readStarted);
    bytesRead += bytes.byteLength;
    const reading = readTrackRecord(strategy.name, file, bytes, config.dateFormat);
    if (reading.record === null) {
      throw new Error(`the benchmark's own data does not read: ${reading.errors.map((error) => error.message).join('; ')}`);
    }
    records.push(reading.record);
    warnings.push(...reading.warnings);
  }
  const elapsed = seconds(started);
  return { seconds: elapsed, cpuSeconds: cpuSeconds() - cpuStarted, readSeconds, bytesRead, rows: records.reduce((sum, record) => sum + record.rows, 0), records, warnings };
}

export interface ArithmeticPhase {
  seconds: number;
  /** The parts: align, scale, computeResults (compound, reconcile, metrics). */
  parts: { align: number; scale: number; computeResults: number };
  dates: number;
  scaledData: ScaledData;
  series: RunSeries;
  results: Results;
}

/** In memory only: `alignTrackRecords`, `scalePositions` per strategy, `computeResults`. */
export function arithmeticPhase(records: readonly TrackRecord[], config: PortfolioConfig): ArithmeticPhase {
  const started = performance.now();
  const aligned = alignTrackRecords(records, config.alignment);
  const alignSeconds = seconds(started);
  const scaleStarted = performance.now();
  const scaled = config.strategies.map((strategy, s) => scalePositions(at(aligned.series, s), strategy));
  const scaleSeconds = seconds(scaleStarted);
  const computeStarted = performance.now();
  const scaledData: ScaledData = { aligned, scaled };
  const { series, results } = computeResults(config, scaledData);
  const computeSeconds = seconds(computeStarted);
  return {
    seconds: seconds(started),
    parts: { align: alignSeconds, scale: scaleSeconds, computeResults: computeSeconds },
    dates: aligned.calendar.length,
    scaledData,
    series,
    results,
  };
}

export interface WritePhase {
  seconds: number;
  cpuSeconds: number;
  /** Per file, seconds (the ISO dates are made once, counted in `dates`; part C's two CSVs with the figures they compute). */
  parts: { dates: number; master: number; accounts: number; portfolio: number; dailyPnl: number; rollingMetrics: number; summary: number };
  bytesWritten: number;
  /** Data cells of the five CSVs (the header row not counted). */
  cells: number;
  /** The ISO dates and each CSV's columns, for the write floor. */
  dates: string[];
  files: WrittenCsv[];
}

/** The five CSVs via `csvChunks`, each piped into a file stream, and summary.json. */
export async function writePhase(
  outFolder: string,
  validation: Validation,
  arithmetic: Pick<ArithmeticPhase, 'scaledData' | 'series' | 'results'>,
): Promise<WritePhase> {
  const { config } = validation;
  const { scaledData, series, results } = arithmetic;
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  const dates = Array.from(scaledData.aligned.calendar, isoDate);
  const datesSeconds = seconds(started);
  const streamCsv = async (name: string, columns: readonly CsvColumn[]): Promise<number> => {
    const fileStarted = performance.now();
    await pipeline(Readable.from(csvChunks(dates, columns)), createWriteStream(join(outFolder, name)));
    return seconds(fileStarted);
  };
  const master = masterColumns(config, scaledData, series);
  const accounts = accountColumns(config, series);
  const portfolio = portfolioColumns(series);
  const masterSeconds = await streamCsv(REPORT_FILES.master, master);
  const accountsSeconds = await streamCsv(REPORT_FILES.accounts, accounts);
  const portfolioSeconds = await streamCsv(REPORT_FILES.portfolio, portfolio);
  const dailyPnlStarted = performance.now();
  const dailyPnl = dailyPnlColumns(config, dailyPnlOf(config, series.ledger));
  const dailyPnlSeconds = seconds(dailyPnlStarted) + (await streamCsv(REPORT_FILES.dailyPnl, dailyPnl));
  const rollingStarted = performance.now();
  const rolling = rollingMetricsColumns(config, series);
  const rollingSeconds = seconds(rollingStarted) + (await streamCsv(REPORT_FILES.rollingMetrics, rolling));
  const summaryStarted = performance.now();
  await writeFile(join(outFolder, REPORT_FILES.summary), `${JSON.stringify(buildSummary(validation, results), null, 2)}\n`);
  const summarySeconds = seconds(summaryStarted);
  const elapsed = seconds(started);
  const cpuUsed = cpuSeconds() - cpuStarted;

  let bytesWritten = 0;
  for (const name of [REPORT_FILES.master, REPORT_FILES.accounts, REPORT_FILES.portfolio, REPORT_FILES.dailyPnl, REPORT_FILES.rollingMetrics, REPORT_FILES.summary]) {
    bytesWritten += (await stat(join(outFolder, name))).size;
  }
  const cells = dates.length * [master, accounts, portfolio, dailyPnl, rolling].reduce((sum, columns) => sum + 1 + columns.length, 0);
  return {
    seconds: elapsed,
    cpuSeconds: cpuUsed,
    parts: {
      dates: datesSeconds,
      master: masterSeconds,
      accounts: accountsSeconds,
      portfolio: portfolioSeconds,
      dailyPnl: dailyPnlSeconds,
      rollingMetrics: rollingSeconds,
      summary: summarySeconds,
    },
    bytesWritten,
    cells,
    dates,
    files: [
      { name: REPORT_FILES.master, columns: master },
      { name: REPORT_FILES.accounts, columns: accounts },
      { name: REPORT_FILES.portfolio, columns: portfolio },
      { name: REPORT_FILES.dailyPnl, columns: dailyPnl },
      { name: REPORT_FILES.rollingMetrics, columns: rolling },
    ],
  };
}

/**
 * The read floor (issue 14): the input CSVs read and cut into records of strings by csv-parse,
 * nothing converted, nothing checked; `rawSeconds` is the `readFile` of the same bytes alone.
 */
export async function readFloor(dataFolder: string, config: PortfolioConfig): Promise<{ seconds: number; cpuSeconds: number; rawSeconds: number; records: number }> {
  let rawSeconds = 0;
  let records = 0;
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  for (const strategy of config.strategies) {
    const readStarted = performance.now();
    const bytes = await readFile(join(dataFolder, `${strategy.name}.csv`));
    rawSeconds += seconds(readStarted);
    records += (parse(bytes) as string[][]).length;
  }
  return { seconds: seconds(started), cpuSeconds: cpuSeconds() - cpuStarted, rawSeconds, records };
}

/** What the write phase wrote: each CSV's name and columns beside the ISO dates. */
export interface WrittenCsv {
  name: string;
  columns: readonly CsvColumn[];
}

/** `String(x)` of every cell, rows joined with commas, gathered into chunks as the report's writer gathers its own. */
function* plainCsvChunks(dates: readonly string[], columns: readonly CsvColumn[]): Generator<string> {
  yield `${['Date', ...columns.map((column) => column.header)].join(',')}\n`;
  const values = columns.map((column) => column.values);
  yield* inChunks(
    (function* rows(): Generator<string> {
      for (let day = 0; day < dates.length; day += 1) {
        const row = new Array<string>(values.length + 1);
        row[0] = dates[day] ?? '';
        for (let c = 0; c < values.length; c += 1) row[c + 1] = String((values[c] as Float64Array)[day]);
        yield row.join(',');
      }
    })(),
  );
}

/**
 * The write floor (issue 14): `String(x)` of every cell the report's CSVs hold (the same numbers,
 * the same dates), joined into CSV text and streamed to files the way the report streams its own;
 * no rounding, no check, no quoting.
 */
export async function writeFloor(outFolder: string, dates: readonly string[], files: readonly WrittenCsv[]): Promise<{ seconds: number; cpuSeconds: number }> {
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  for (const { name, columns } of files) {
    await pipeline(Readable.from(plainCsvChunks(dates, columns)), createWriteStream(join(outFolder, name)));
  }
  return { seconds: seconds(started), cpuSeconds: cpuSeconds() - cpuStarted };
}

/**
 * The raw I/O of the write phase, below any formatter: the same number of bytes through the same
 * kind of stream (64 KiB chunks of ready bytes).
 */
export async function rawWriteFloor(outFolder: string, bytes: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 0x31);
  function* chunks(): Generator<Buffer> {
    for (let left = bytes; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
  }
  const started = performance.now();
  await pipeline(Readable.from(chunks()), createWriteStream(join(outFolder, 'floor.bin')));
  return seconds(started);
}
