/**
 * The benchmark's data set: K strategies of Y years of daily rows, made by the project's seeded
 * sample generator, spread over a few accounts, with a portfolio.json whose allocations fit
 * each account's startingCapital.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSample, SAMPLE_STRATEGIES, sampleConfig, type SampleAccount, type SampleStrategy } from '#shared/sample/generateSample.ts';

export interface BenchSize {
  strategies: number;
  years: number;
  /** Part B on: risk parity (look-back 63), monthly rebalancing with costs, every rule. */
  partB: boolean;
}

export const sizeLabel = ({ strategies, years, partB }: BenchSize): string => `${strategies}x${years}${partB ? '+B' : ''}`;

/** What `+B` adds to a size's config: SPEC part B with every rule on. */
export const PART_B_SETTINGS = {
  allocation: { method: 'riskParity', lookbackDays: 63 },
  rebalance: { frequency: 'monthly', costBps: 5 },
  limits: { maxLeverage: 10, maxConcurrentPositions: 100, dailyStopLossUsd: 250_000, drawdownBreachUsd: 1_000_000, maxConcentrationPct: 5 },
} as const;

export interface Dataset {
  folder: string;
  accounts: SampleAccount[];
  strategies: SampleStrategy[];
  /** Data rows over every CSV (the header not counted). */
  rows: number;
  /** Bytes of the CSVs and of portfolio.json. */
  csvBytes: number;
  configBytes: number;
  generateSeconds: number;
}

/** `KxY` or `KxY+B` pairs, comma-separated: `3x10,500x20+B`. */
export function parseSizes(text: string): BenchSize[] {
  return text.split(',').map((part) => {
    const match = /^\s*(\d+)\s*x\s*(\d+)\s*(\+B)?\s*$/i.exec(part);
    const strategies = Number(match?.[1]);
    const years = Number(match?.[2]);
    if (match === null || strategies < 1 || years < 1) throw new Error(`sizes are KxY pairs like 3x10,50x10 or 500x20+B (got "${part}")`);
    return { strategies, years, partB: match[3] !== undefined };
  });
}

/** One account per 20 strategies, at most five: "one or a few". */
export function accountCount(strategies: number): number {
  return Math.min(5, Math.max(1, Math.ceil(strategies / 20)));
}

/** A spread in [0, 1) that does not repeat (golden-ratio sequence), so variants differ without a random generator. */
const spread = (i: number): number => (i * 0.6180339887498949) % 1;

const SCALES = [0.5, 0.75, 0.8, 1.0] as const;

/**
 * K definitions, cycling through SAMPLE_STRATEGIES with varied drift, volatility, position size,
 * allocation and scale; every one covers `years * 365` calendar days up to the sample end date.
 */
export function benchStrategies(size: BenchSize): { accounts: SampleAccount[]; strategies: SampleStrategy[] } {
  const accounts = Array.from({ length: accountCount(size.strategies) }, (_, a) => ({ name: `Account ${a + 1}`, startingCapital: 0 }));
  const width = String(size.strategies).length;
  const strategies = Array.from({ length: size.strategies }, (_, i): SampleStrategy => {
    const base = SAMPLE_STRATEGIES[i % SAMPLE_STRATEGIES.length] as SampleStrategy;
    const f = 0.8 + 0.4 * spread(i + 1); // 0.8 .. 1.2
    const g = 0.5 + spread(i + 7); // 0.5 .. 1.5
    const account = accounts[i % accounts.length] as SampleAccount;
    return {
      ...base,
      name: `${base.name}_${String(i + 1).padStart(width, '0')}`,
      calendarDays: size.years * 365,
      meanReturn: base.meanReturn * g,
      volatility: base.volatility * f,
      typicalUnits: Math.max(base.minPosition, Math.round((base.typicalUnits * f) / base.increment) * base.increment),
      account: account.name,
      // Position and allocation grow together, so the largest position (1.5 x typical) stays well inside the allocation.
      allocatedCapital: Math.round((base.allocatedCapital * f) / 1000) * 1000,
      maxPositionScale: SCALES[i % SCALES.length] ?? 1,
    };
  });
  for (const account of accounts) {
    const allocated = strategies.filter((s) => s.account === account.name).reduce((sum, s) => sum + s.allocatedCapital, 0);
    // About 10 % idle cash on top of the allocations.
    account.startingCapital = Math.ceil((allocated * 1.1) / 10_000) * 10_000;
  }
  return { accounts, strategies };
}

/** 500 MiB: the data sets here stay far below; the default (100 MiB) is not what is measured. */
const MAX_FILE_SIZE_BYTES = 500 * 1024 * 1024;

/**
 * Writes the CSVs and portfolio.json into `folder`. Strategy i is generated alone with seed
 * `seed + i`, so at most one file's text is in memory at a time.
 */
export async function writeDataset(folder: string, size: BenchSize, seed: number): Promise<Dataset> {
  const started = performance.now();
  const { accounts, strategies } = benchStrategies(size);
  let rows = 0;
  let csvBytes = 0;
  for (const [i, strategy] of strategies.entries()) {
    const name = `${strategy.name}.csv`;
    const text = generateSample(seed + i, [strategy]).files.get(name);
    if (text === undefined) throw new Error(`the sample generator made no ${name}`);
    rows += countLines(text) - 1;
    csvBytes += Buffer.byteLength(text);
    await writeFile(join(folder, name), text);
  }
  const config = { ...sampleConfig(accounts, strategies), maxFileSizeBytes: MAX_FILE_SIZE_BYTES, ...(size.partB ? PART_B_SETTINGS : {}) };
  const configText = `${JSON.stringify(config, null, 2)}\n`;
  await writeFile(join(folder, 'portfolio.json'), configText);
  return {
    folder,
    accounts,
    strategies,
    rows,
    csvBytes,
    configBytes: Buffer.byteLength(configText),
    generateSeconds: (performance.now() - started) / 1000,
  };
}

function countLines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}
