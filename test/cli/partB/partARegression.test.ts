/**
 * SPEC part B preamble and 14 ("When the part-B outputs appear"): with every part-B setting at its
 * default, written out or not, and with an `optimizer` section, a run on the bundled sample gives
 * exactly part A's files, byte for byte; any non-default setting makes 4_rebalance_log.csv and
 * limits.json appear (and under `fixed` the settings that do not apply leave the CSVs alone).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchFolder } from '#test/support/runCli.ts';
import type { Json } from '#test/support/writeCase.ts';
import { SAMPLE_DATA } from '#test/support/paths.ts';

const SAMPLE = SAMPLE_DATA;
const BASE_CONFIG = JSON.parse(readFileSync(join(SAMPLE, 'portfolio.json'), 'utf8')) as Json;
const PART_A_DATA_FILES = ['1_master_aligned_data.csv', '2_account_performance.csv', '3_total_portfolio_performance.csv'];
const PART_B_FILES = ['4_rebalance_log.csv', 'limits.json', 'comparison.json'];
const PART_B_SUMMARY_KEYS = ['rebalances', 'blockedEntries', 'riskParityFallbacks'];
const PART_B_CHECKS = ['costConservation', 'maxLeverage', 'maxConcurrentPositions', 'dailyStopLoss', 'drawdownBreaches', 'maxConcentration'];
const PART_B_CONFIG_KEYS = ['allocation', 'rebalance', 'limits', 'optimizer', 'scenarios'];

/** Every file under `folder`, by relative path. */
function filesUnder(folder: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  const visit = (path: string): void => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) visit(full);
      else found.set(relative(folder, full), readFileSync(full));
    }
  };
  visit(folder);
  return found;
}

/** Runs the sample data with `config` written to a scratch file; returns the output folder. */
async function runSample(label: string, config: Json): Promise<string> {
  const root = scratchFolder(label);
  const configPath = join(root, 'portfolio.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const out = join(root, 'report');
  const result = await runCli(['run', '--data', SAMPLE, '--config', configPath, '--out', out]);
  expect(result.exitCode, `exit code; stderr:\n${result.stderr.join('\n')}`).toBe(0);
  return out;
}

/** Byte-for-byte differences between two output folders (files missing on either side included). */
function differences(expected: Map<string, Buffer>, actual: Map<string, Buffer>, only?: readonly string[]): string[] {
  const names = only ?? [...new Set([...expected.keys(), ...actual.keys()])].sort();
  return names.flatMap((name) => {
    const a = expected.get(name);
    const b = actual.get(name);
    if (a === undefined) return [`${name}: only in the part-B-default run`];
    if (b === undefined) return [`${name}: missing from the part-B-default run`];
    return a.equals(b) ? [] : [`${name}: differs`];
  });
}

function summaryOf(out: string): Json {
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Json;
}

/** Every part-B default written out, keys in an order of their own, plus an optimizer section. */
const EXPLICIT_DEFAULTS: Json = {
  ...BASE_CONFIG,
  scenarios: [],
  limits: { maxConcentrationPct: null, drawdownBreachUsd: null, dailyStopLossUsd: null, maxConcurrentPositions: null, maxLeverage: null },
  rebalance: { costBps: 0, band: null, frequency: 'none' },
  allocation: { cashBufferPct: 0, maxWeight: 1, minWeight: 0, kellyFraction: 0.5, lookbackDays: 63, method: 'fixed' },
  optimizer: { objective: 'sharpe', maxDrawdownUsd: 500000, maxStrategies: 2, inSampleEnd: '2020-12-31' },
};

describe('part A stays byte-identical under the part-B defaults (SPEC part B, 14)', () => {
  let partA: Map<string, Buffer>;
  let partAOut: string;

  beforeAll(async () => {
    partAOut = await runSample('part-a', BASE_CONFIG);
    partA = filesUnder(partAOut);
  });

  it('the sample run without part-B sections writes no part-B file', () => {
    for (const name of PART_B_FILES) expect(partA.has(name), name).toBe(false);
    for (const name of PART_A_DATA_FILES) expect(partA.has(name), name).toBe(true);
  });

  it('every default written out, and an optimizer section: the same files, byte for byte', async () => {
    const out = await runSample('explicit-defaults', EXPLICIT_DEFAULTS);
    expect(differences(partA, filesUnder(out))).toEqual([]);
  });

  it('summary.json then has no part-B key, no part-B check and a config without the part-B sections', async () => {
    const out = await runSample('explicit-defaults-summary', EXPLICIT_DEFAULTS);
    const summary = summaryOf(out);
    for (const key of PART_B_SUMMARY_KEYS) expect(summary, `summary.json key ${key}`).not.toHaveProperty(key);
    for (const check of PART_B_CHECKS) expect(summary['checks'], `check ${check}`).not.toHaveProperty(check);
    for (const key of PART_B_CONFIG_KEYS) expect(summary['config'], `config.${key}`).not.toHaveProperty(key);
    for (const name of PART_B_FILES) expect(existsSync(join(out, name)), name).toBe(false);
  });

  it('the optimizer section alone does not put part B in use', async () => {
    const out = await runSample('optimizer-only', { ...BASE_CONFIG, optimizer: { maxStrategies: 1 } });
    expect(differences(partA, filesUnder(out))).toEqual([]);
  });

  it.each<[string, Json]>([
    ['cashBufferPct under fixed', { allocation: { cashBufferPct: 5 } }],
    ['maxWeight under fixed', { allocation: { maxWeight: 0.9 } }],
    ['costBps without any trigger', { rebalance: { costBps: 5 } }],
    ['one limit (maxLeverage, reported only)', { limits: { maxLeverage: 100 } }],
    ['one limit (dailyStopLossUsd, reported only)', { limits: { dailyStopLossUsd: 1000000 } }],
  ])('a non-default setting (%s) makes 4_rebalance_log.csv and limits.json appear; the data CSVs do not move', async (_, extra) => {
    const out = await runSample('part-b-in-use', { ...BASE_CONFIG, ...extra });
    for (const name of ['4_rebalance_log.csv', 'limits.json']) expect(existsSync(join(out, name)), name).toBe(true);
    // Under fixed, without a trigger, with a rule that is only reported, the arithmetic is part A's.
    expect(differences(partA, filesUnder(out), PART_A_DATA_FILES)).toEqual([]);
    const summary = summaryOf(out);
    expect(summary).toHaveProperty('rebalances');
    expect(summary['checks']).toHaveProperty('costConservation');
    for (const key of ['allocation', 'rebalance', 'limits', 'scenarios']) expect(summary['config'], `config.${key}`).toHaveProperty(key);
    // The log holds the initial allocation only: one row per strategy at t0, trigger initial.
    const log = readFileSync(join(out, '4_rebalance_log.csv'), 'utf8').trimEnd().split('\n');
    expect(log.length).toBe(1 + 3);
    expect(log.slice(1).map((line) => line.split(',').at(-1))).toEqual(['initial', 'initial', 'initial']);
  });

  it('a non-default method changes the arithmetic and writes the part-B files', async () => {
    const out = await runSample('equal', { ...BASE_CONFIG, allocation: { method: 'equal' }, rebalance: { frequency: 'quarterly' } });
    for (const name of ['4_rebalance_log.csv', 'limits.json']) expect(existsSync(join(out, name)), name).toBe(true);
    expect(differences(partA, filesUnder(out), ['1_master_aligned_data.csv'])).toEqual(['1_master_aligned_data.csv: differs']);
  });
});
