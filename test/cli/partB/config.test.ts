/**
 * SPEC 14, the part-B configuration through the command line: every bad value is an error that
 * names its full key (exit 1, nothing written, no data read), a scenario's merged config is
 * validated again under the scenario's name, unknown keys inside the part-B sections are
 * unknownConfigKey warnings, and summary.json's config holds the resolved values.
 */
import { describe, expect, it } from 'vitest';
import { csv, expectRejected, expectWritten, GOOD_CSV, HEADER, portfolio, readSummary, run, strategy, warningsOf, type Json } from '#test/support/writeCase.ts';

const FILES = { 'Alpha.csv': GOOD_CSV, 'Beta.csv': GOOD_CSV };
const CONFIG_FILE = 'portfolio.json';

function config(extra: Json): Json {
  return portfolio(['Alpha', 'Beta'], extra);
}

describe('part-B config errors name the full key (SPEC 14)', () => {
  it.each<[string, Json, string | string[]]>([
    ['allocation.method not one of the five', { allocation: { method: 'magic' } }, 'allocation.method'],
    ['allocation.lookbackDays below 2', { allocation: { lookbackDays: 1 } }, 'allocation.lookbackDays'],
    ['allocation.lookbackDays not whole', { allocation: { lookbackDays: 2.5 } }, 'allocation.lookbackDays'],
    ['allocation.kellyFraction 0', { allocation: { kellyFraction: 0 } }, 'allocation.kellyFraction'],
    ['allocation.minWeight below 0', { allocation: { minWeight: -0.1 } }, 'allocation.minWeight'],
    ['allocation.minWeight above maxWeight', { allocation: { minWeight: 0.6, maxWeight: 0.5 } }, ['allocation.minWeight', 'allocation.maxWeight']],
    ['allocation.maxWeight 0', { allocation: { maxWeight: 0 } }, 'allocation.maxWeight'],
    ['allocation.maxWeight above 1', { allocation: { maxWeight: 1.5 } }, 'allocation.maxWeight'],
    ['allocation.maxWeight as text', { allocation: { maxWeight: '0.5' } }, 'allocation.maxWeight'],
    ['allocation.cashBufferPct 100', { allocation: { cashBufferPct: 100 } }, 'allocation.cashBufferPct'],
    ['allocation.cashBufferPct negative', { allocation: { cashBufferPct: -1 } }, 'allocation.cashBufferPct'],
    ['allocation not an object', { allocation: 'equal' }, 'allocation'],
    ['rebalance.frequency daily', { rebalance: { frequency: 'daily' } }, 'rebalance.frequency'],
    ['rebalance.band with two keys', { rebalance: { band: { absolute: 0.1, relative: 0.2 } } }, 'rebalance.band'],
    ['rebalance.band with no key', { rebalance: { band: {} } }, 'rebalance.band'],
    ['rebalance.band absolute 0', { rebalance: { band: { absolute: 0 } } }, 'rebalance.band'],
    ['rebalance.band relative negative', { rebalance: { band: { relative: -0.1 } } }, 'rebalance.band'],
    ['rebalance.band with another key', { rebalance: { band: { width: 0.1 } } }, 'rebalance.band'],
    ['rebalance.band a bare number', { rebalance: { band: 0.1 } }, 'rebalance.band'],
    ['rebalance.costBps 10000', { rebalance: { costBps: 10000 } }, 'rebalance.costBps'],
    ['rebalance.costBps negative', { rebalance: { costBps: -5 } }, 'rebalance.costBps'],
    ['limits.maxLeverage 0', { limits: { maxLeverage: 0 } }, 'limits.maxLeverage'],
    ['limits.maxConcurrentPositions 0', { limits: { maxConcurrentPositions: 0 } }, 'limits.maxConcurrentPositions'],
    ['limits.maxConcurrentPositions not whole', { limits: { maxConcurrentPositions: 2.5 } }, 'limits.maxConcurrentPositions'],
    ['limits.maxConcurrentPositions as text', { limits: { maxConcurrentPositions: '4' } }, 'limits.maxConcurrentPositions'],
    ['limits.dailyStopLossUsd negative', { limits: { dailyStopLossUsd: -100 } }, 'limits.dailyStopLossUsd'],
    ['limits.drawdownBreachUsd 0', { limits: { drawdownBreachUsd: 0 } }, 'limits.drawdownBreachUsd'],
    ['limits.maxConcentrationPct 0', { limits: { maxConcentrationPct: 0 } }, 'limits.maxConcentrationPct'],
    ['optimizer.objective sortino', { optimizer: { objective: 'sortino' } }, 'optimizer.objective'],
    ['optimizer.maxDrawdownUsd 0', { optimizer: { maxDrawdownUsd: 0 } }, 'optimizer.maxDrawdownUsd'],
    ['optimizer.maxBreachEvents without limits.drawdownBreachUsd', { optimizer: { maxBreachEvents: 2 } }, 'optimizer.maxBreachEvents'],
    ['optimizer.maxBreachEvents negative', { optimizer: { maxBreachEvents: -1 }, limits: { drawdownBreachUsd: 1000 } }, 'optimizer.maxBreachEvents'],
    ['optimizer.maxBreachEvents not whole', { optimizer: { maxBreachEvents: 1.5 }, limits: { drawdownBreachUsd: 1000 } }, 'optimizer.maxBreachEvents'],
    ['optimizer.maxStrategies 0', { optimizer: { maxStrategies: 0 } }, 'optimizer.maxStrategies'],
    ['optimizer.inSampleEnd a date that does not exist', { optimizer: { inSampleEnd: '2024-02-30' } }, 'optimizer.inSampleEnd'],
    ['optimizer.inSampleEnd not ISO (even with dateFormat MM/DD/YYYY)', { optimizer: { inSampleEnd: '01/03/2024' } }, 'optimizer.inSampleEnd'],
    ['optimizer.inSampleEnd a number', { optimizer: { inSampleEnd: 20240103 } }, 'optimizer.inSampleEnd'],
    ['scenarios not a list', { scenarios: { name: 'X' } }, 'scenarios'],
    ['a scenario without a name', { scenarios: [{ overrides: {} }] }, 'scenarios[0]'],
    ['a scenario with an empty name', { scenarios: [{ name: '', overrides: {} }] }, 'scenarios[0]'],
  ])('%s', async (_, extra, key) => {
    const result = await run(FILES, config(extra));
    expectRejected(result, { file: CONFIG_FILE, column: key });
  });

  it('optimizer.inSampleEnd written YYYY-MM-DD is accepted whatever dateFormat says', async () => {
    const us = csv(HEADER, '01/02/2024,0.01,1000,10000', '01/03/2024,-0.005,1000,10000', '01/04/2024,0.002,2000,20000');
    const result = await run({ 'Alpha.csv': us, 'Beta.csv': us }, config({ dateFormat: 'MM/DD/YYYY', optimizer: { inSampleEnd: '2024-01-03' } }));
    expectWritten(result);
  });

  it('duplicate scenario names are an error', async () => {
    const result = await run(FILES, config({ scenarios: [{ name: 'Same', overrides: {} }, { name: 'Same', overrides: {} }] }));
    expectRejected(result, { file: CONFIG_FILE, column: 'scenarios[1] (Same).name' });
  });

  it('a scenario merged config is validated again, its errors named under the scenario', async () => {
    const result = await run(
      FILES,
      config({
        scenarios: [
          { name: 'Fine', overrides: { allocation: { method: 'equal' } } },
          { name: 'Broken', overrides: { allocation: { method: 'magic' } } },
        ],
      }),
    );
    expectRejected(result, { file: CONFIG_FILE, column: 'scenarios[1] (Broken).allocation.method', mentions: ['magic'] });
    expect(result.stderr.filter((line) => line.includes('(Fine)')), 'no error under the valid scenario').toEqual([]);
  });

  it('a scenario may override only allocation, rebalance and limits', async () => {
    const result = await run(FILES, config({ scenarios: [{ name: 'Bigger', overrides: { strategies: [] } }] }));
    expectRejected(result, { file: CONFIG_FILE, column: 'scenarios[0] (Bigger).overrides.strategies' });
  });

  it('the merge is a JSON Merge Patch: objects merge key by key, so a valid override can make the merged config invalid', async () => {
    // Base minWeight 0.5 with maxWeight 0.6; the scenario sets maxWeight 0.4 -> merged minWeight 0.5 > maxWeight 0.4.
    const result = await run(
      FILES,
      config({ allocation: { method: 'equal', minWeight: 0.5, maxWeight: 0.6 }, scenarios: [{ name: 'Tight', overrides: { allocation: { maxWeight: 0.4 } } }] }),
    );
    expectRejected(result, { file: CONFIG_FILE, column: ['scenarios[0] (Tight).allocation.minWeight', 'scenarios[0] (Tight).allocation.maxWeight'] });
    expect(result.stderr.filter((line) => /allocation\.(minWeight|maxWeight)/.test(line) && !line.includes('(Tight)')), 'the base config is valid').toEqual([]);
  });

  it('merge patch: null removes a key (back to its default), so the merged config is valid', async () => {
    // Base minWeight 0.5, maxWeight 0.6; the scenario removes maxWeight (default 1) and lowers nothing else: valid.
    const result = await run(
      FILES,
      config({ allocation: { method: 'equal', minWeight: 0.5, maxWeight: 0.6 }, scenarios: [{ name: 'Loose', overrides: { allocation: { maxWeight: null } } }] }),
    );
    expect(result.exitCode, result.stderr.join('\n')).toBe(0);
  });

  it('merge patch: a band override merges into the base band (two keys) unless the old key is removed with null', async () => {
    const bad = await run(
      FILES,
      config({ rebalance: { band: { absolute: 0.1 } }, scenarios: [{ name: 'Rel', overrides: { rebalance: { band: { relative: 0.2 } } } }] }),
    );
    expectRejected(bad, { file: CONFIG_FILE, column: 'scenarios[0] (Rel).rebalance.band' });
    const good = await run(
      FILES,
      config({ rebalance: { band: { absolute: 0.1 } }, scenarios: [{ name: 'Rel', overrides: { rebalance: { band: { absolute: null, relative: 0.2 } } } }] }),
    );
    expect(good.exitCode, good.stderr.join('\n')).toBe(0);
  });

  it('every config error is reported together, and no data is read when the config has errors', async () => {
    const broken = csv(HEADER, '2024-01-02,abc,1000,10000');
    const result = await run(
      { 'Alpha.csv': broken, 'Beta.csv': GOOD_CSV },
      config({ allocation: { maxWeight: 2 }, rebalance: { band: { absolute: 0.1, relative: 0.1 } }, limits: { maxConcurrentPositions: 0 } }),
    );
    expectRejected(
      result,
      { file: CONFIG_FILE, column: 'allocation.maxWeight' },
      { file: CONFIG_FILE, column: 'rebalance.band' },
      { file: CONFIG_FILE, column: 'limits.maxConcurrentPositions' },
    );
    expect(result.stderr.filter((line) => line.includes('Alpha.csv')), 'the data file is not read').toEqual([]);
  });
});

describe('unknown keys inside the part-B sections are unknownConfigKey warnings (SPEC 14)', () => {
  it('allocation, rebalance, limits, optimizer, scenarios and scenario overrides', async () => {
    const result = await run(
      FILES,
      config({
        allocation: { method: 'equal', lookback: 20 },
        rebalance: { frequency: 'monthly', costBPS: 5 },
        limits: { maxLeverage: 3, stopLoss: 100 },
        optimizer: { objective: 'sharpe', target: 'calmar' },
        scenarios: [{ name: 'S', overrides: { allocation: { methd: 'kelly' }, limits: { maxLev: 2 } }, note: 'x' }],
      }),
    );
    expectWritten(result);
    const warnings = warningsOf(result, 'unknownConfigKey');
    const columns = warnings.map((warning) => warning.column ?? '');
    for (const key of [
      'allocation.lookback',
      'rebalance.costBPS',
      'limits.stopLoss',
      'optimizer.target',
      'scenarios[0] (S).note',
      'scenarios[0] (S).overrides.allocation.methd',
      'scenarios[0] (S).overrides.limits.maxLev',
    ]) {
      expect(
        columns.some((column) => column === key || column.endsWith(key)),
        `an unknownConfigKey warning for ${key} in ${JSON.stringify(columns)}`,
      ).toBe(true);
    }
    for (const warning of warnings) expect(warning.file).toBe(CONFIG_FILE);
    // The known keys next to them are applied: monthly rebalancing, equal weights.
    const summary = readSummary(result);
    expect(summary.config['rebalance']).toMatchObject({ frequency: 'monthly', costBps: 0 });
    expect(summary.config['allocation']).toMatchObject({ method: 'equal', lookbackDays: 63 });
  });

  it('known keys raise no warning', async () => {
    const result = await run(
      FILES,
      config({
        allocation: { method: 'kelly', lookbackDays: 2, kellyFraction: 0.5, minWeight: 0, maxWeight: 1, cashBufferPct: 0 },
        rebalance: { frequency: 'weekly', band: { relative: 0.1 }, costBps: 1 },
        limits: { maxLeverage: 3, maxConcurrentPositions: 2, dailyStopLossUsd: 1, drawdownBreachUsd: 1, maxConcentrationPct: 50 },
        optimizer: { objective: 'sharpe', maxDrawdownUsd: 1000, maxBreachEvents: 1, maxStrategies: 1, inSampleEnd: '2024-01-03' },
      }),
    );
    expectWritten(result);
    expect(warningsOf(result, 'unknownConfigKey')).toEqual([]);
  });
});

describe('summary.json config: the part-B sections resolved, defaults filled in (SPEC 14)', () => {
  it('allocation, rebalance, limits (all five keys), optimizer (when present) and scenarios', async () => {
    const result = await run(
      FILES,
      config({ allocation: { method: 'equal' }, optimizer: { maxDrawdownUsd: 5000 }, scenarios: [{ name: 'Cheap', overrides: { rebalance: { costBps: 1 } } }] }),
    );
    // Scenario runs are not part of this check: only the resolved config is read here.
    if (result.exitCode !== 0) expect.fail(`exit ${result.exitCode}:\n${result.stderr.join('\n')}`);
    const { config: resolved } = readSummary(result);
    expect(resolved['allocation']).toEqual({ method: 'equal', lookbackDays: 63, kellyFraction: 0.5, minWeight: 0, maxWeight: 1, cashBufferPct: 0 });
    expect(resolved['rebalance']).toEqual({ frequency: 'none', band: null, costBps: 0 });
    expect(resolved['limits']).toEqual({ maxLeverage: null, maxConcurrentPositions: null, dailyStopLossUsd: null, drawdownBreachUsd: null, maxConcentrationPct: null });
    // maxStrategies defaults to the number of strategies (2).
    expect(resolved['optimizer']).toEqual({ objective: 'sharpe', maxDrawdownUsd: 5000, maxBreachEvents: null, maxStrategies: 2, inSampleEnd: null });
    expect(resolved['scenarios']).toEqual([{ name: 'Cheap', overrides: { rebalance: { costBps: 1 } } }]);
  });

  it('without an optimizer section the config has no optimizer key; a limit alone fills the other sections', async () => {
    const result = await run(FILES, config({ limits: { maxConcentrationPct: 80 } }));
    expectWritten(result);
    const { config: resolved } = readSummary(result);
    expect(resolved).not.toHaveProperty('optimizer');
    expect(resolved['allocation']).toEqual({ method: 'fixed', lookbackDays: 63, kellyFraction: 0.5, minWeight: 0, maxWeight: 1, cashBufferPct: 0 });
    expect(resolved['rebalance']).toEqual({ frequency: 'none', band: null, costBps: 0 });
    expect(resolved['limits']).toEqual({ maxLeverage: null, maxConcurrentPositions: null, dailyStopLossUsd: null, drawdownBreachUsd: null, maxConcentrationPct: 80 });
    expect(resolved['scenarios']).toEqual([]);
  });

  it('a strategy is still named in config order with its keys (part A keys untouched under part B)', async () => {
    const result = await run(FILES, portfolio([strategy('Alpha'), strategy('Beta')], { rebalance: { band: { absolute: 0.2 } } }));
    expectWritten(result);
    const { config: resolved } = readSummary(result);
    expect((resolved['strategies'] as Json[]).map((item) => item['name'])).toEqual(['Alpha', 'Beta']);
    expect(resolved['rebalance']).toEqual({ frequency: 'none', band: { absolute: 0.2 }, costBps: 0 });
  });
});
