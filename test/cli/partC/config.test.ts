/**
 * SPEC 1.2, 16.3 and 21, part C's configuration through the command line: the two new keys with
 * their ranges and defaults, the names that would give two columns of 5_daily_pnl.csv or
 * 6_rolling_metrics.csv one header (an error naming the item's `name` key: exit 1, nothing
 * written), and unknown keys of the attribution section as warnings.
 */
import { describe, expect, it } from 'vitest';
import { expectRejected, expectWritten, GOOD_CSV, portfolio, readSummary, run, strategy, warningsOf, type Json } from '#test/support/writeCase.ts';

const FILES = { 'Alpha.csv': GOOD_CSV, 'Beta.csv': GOOD_CSV };
const CONFIG_FILE = 'portfolio.json';

describe('part-C config keys (SPEC 21)', () => {
  it.each<[string, Json, string]>([
    ['attribution.riskWindowDays below 2', { attribution: { riskWindowDays: 1 } }, 'attribution.riskWindowDays'],
    ['attribution.riskWindowDays not whole', { attribution: { riskWindowDays: 20.5 } }, 'attribution.riskWindowDays'],
    ['attribution.riskWindowDays as text', { attribution: { riskWindowDays: '63' } }, 'attribution.riskWindowDays'],
    ['attribution not an object', { attribution: 63 }, 'attribution'],
    ['thresholds.staleAfterWeekdays 0', { thresholds: { staleAfterWeekdays: 0 } }, 'thresholds.staleAfterWeekdays'],
    ['thresholds.staleAfterWeekdays not whole', { thresholds: { staleAfterWeekdays: 2.5 } }, 'thresholds.staleAfterWeekdays'],
    ['thresholds.staleAfterWeekdays as text', { thresholds: { staleAfterWeekdays: '5' } }, 'thresholds.staleAfterWeekdays'],
  ])('%s is an error naming the key', async (_, extra, key) => {
    expectRejected(await run(FILES, portfolio(['Alpha', 'Beta'], extra)), { file: CONFIG_FILE, column: key });
  });

  it('resolves both keys into summary.json\'s config, null turning freshness off', async () => {
    const written = await run(FILES, portfolio(['Alpha', 'Beta'], { attribution: { riskWindowDays: 2 }, thresholds: { staleAfterWeekdays: null } }));
    expectWritten(written);
    expect(readSummary(written).config).toMatchObject({ attribution: { riskWindowDays: 2 }, thresholds: { staleAfterWeekdays: null } });
  });

  it('warns about an unknown key of the attribution section', async () => {
    const written = await run(FILES, portfolio(['Alpha', 'Beta'], { attribution: { riskWindow: 20 } }));
    expectWritten(written);
    expect(warningsOf(written, 'unknownConfigKey').map((warning) => warning.column)).toEqual(['attribution.riskWindow']);
  });
});

describe('names that would share a column header (SPEC 16.3)', () => {
  it('a strategy with an account\'s name is refused under its name key', async () => {
    const config = {
      accounts: [{ name: 'Main', startingCapital: 1_000_000 }, { name: 'Alpha', startingCapital: 1_000_000 }],
      strategies: [strategy('Alpha'), strategy('Beta', { account: 'Alpha' })],
    };
    expectRejected(await run(FILES, config), { file: CONFIG_FILE, column: 'strategies[0] (Alpha).name', mentions: ['Alpha_PnL_USD'] });
  });

  it('a strategy or an account named Portfolio is refused; the name is case-sensitive', async () => {
    const files = { 'Portfolio.csv': GOOD_CSV, 'Beta.csv': GOOD_CSV };
    const config = {
      accounts: [{ name: 'Portfolio', startingCapital: 1_000_000 }],
      strategies: [strategy('Portfolio', { account: 'Portfolio' }), strategy('Beta', { account: 'Portfolio' })],
    };
    expectRejected(await run(files, config), { file: CONFIG_FILE, column: 'accounts[0] (Portfolio).name' }, { file: CONFIG_FILE, column: 'strategies[0] (Portfolio).name' });
    expectWritten(await run({ 'portfolio.csv': GOOD_CSV }, { accounts: [{ name: 'PORTFOLIO', startingCapital: 1_000_000 }], strategies: [strategy('portfolio', { account: 'PORTFOLIO' })] }));
  });
});
