/**
 * SPEC 1.2 and 8, the configuration and the command line, as a user meets them: the real
 * command line, in-process. A bad config (JSON or YAML) must exit 1 with an error line naming
 * the config file and the key (`strategies[1] (Beta).marginPerUnit`), or the line of a syntax
 * error, read no data file, and leave the output folder as it was; unknown keys are warnings;
 * a good config is resolved with its defaults filled in and its lists in the order written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '#test/support/runCli.ts';
import {
  csv,
  expectNothingWritten,
  expectRejected,
  expectWritten,
  GOOD_CSV,
  HEADER,
  type Json,
  linesReporting,
  portfolio,
  readReportCsv,
  readSummary,
  run,
  runCase,
  snapshot,
  strategy,
  warningsOf,
  writeCase,
} from '#test/support/writeCase.ts';

const TWO = { 'Alpha.csv': GOOD_CSV, 'Beta.csv': GOOD_CSV };
const BASE = portfolio(['Alpha', 'Beta']);

type PathPart = string | number;
const REMOVE = Symbol('remove');

/** A deep copy of `config` with the value at `path` replaced (or removed with REMOVE). */
function edit(config: Json, path: readonly PathPart[], value: unknown): Json {
  const copy = structuredClone(config);
  let node: unknown = copy;
  path.forEach((part, index) => {
    const container = node as Record<PathPart, unknown>;
    if (index === path.length - 1) {
      if (value === REMOVE) delete container[part];
      else container[part] = value;
    } else {
      if (container[part] === undefined) container[part] = {};
      node = container[part];
    }
  });
  return copy;
}

describe('required keys', () => {
  it.each([
    { path: ['accounts'], key: 'accounts' },
    { path: ['strategies'], key: 'strategies' },
    { path: ['accounts', 0, 'name'], key: 'accounts[0].name' },
    { path: ['accounts', 0, 'startingCapital'], key: 'accounts[0] (Main).startingCapital' },
    { path: ['strategies', 1, 'name'], key: 'strategies[1].name' },
    ...['account', 'marginPerUnit', 'minPosition', 'increment', 'allocatedCapital', 'maxPositionScale'].map((name) => ({
      path: ['strategies', 1, name],
      key: `strategies[1] (Beta).${name}`,
    })),
  ])('without $key the run stops, naming that key as required', async ({ path, key }) => {
    const result = await run(TWO, edit(BASE, path, REMOVE));
    expectRejected(result, { file: 'portfolio.json', column: key, says: /required|missing/i });
  });
});

describe('types: numbers must be JSON/YAML numbers, finite', () => {
  it.each([
    { path: ['accounts', 0, 'startingCapital'], value: '200000', key: 'accounts[0] (Main).startingCapital' },
    { path: ['strategies', 1, 'allocatedCapital'], value: '100000', key: 'strategies[1] (Beta).allocatedCapital' },
    { path: ['strategies', 1, 'marginPerUnit'], value: true, key: 'strategies[1] (Beta).marginPerUnit' },
    { path: ['strategies', 1, 'maxPositionScale'], value: null, key: 'strategies[1] (Beta).maxPositionScale' },
    { path: ['strategies', 1, 'minPosition'], value: [1], key: 'strategies[1] (Beta).minPosition' },
    { path: ['strategies', 1, 'account'], value: 7, key: 'strategies[1] (Beta).account' },
    { path: ['strategies', 0, 'name'], value: 42, key: 'strategies[0].name' },
    { path: ['thresholds', 'driftTolerance'], value: '0.05', key: 'thresholds.driftTolerance' },
    { path: ['thresholds', 'marginUtilizationAlertPct'], value: '80', key: 'thresholds.marginUtilizationAlertPct' },
    { path: ['thresholds'], value: 5, key: 'thresholds' },
    { path: ['metrics', 'periodsPerYear'], value: '252', key: 'metrics.periodsPerYear' },
    { path: ['maxFileSizeBytes'], value: '1000', key: 'maxFileSizeBytes' },
    { path: ['accounts'], value: 'Main', key: 'accounts' },
    { path: ['strategies'], value: { name: 'Alpha' }, key: 'strategies' },
    { path: ['alignment'], value: 'outer', key: 'alignment' },
    { path: ['dateFormat'], value: 'YYYY/MM/DD', key: 'dateFormat' },
  ])('$key = $value is reported under its key', async ({ path, value, key }) => {
    const result = await run(TWO, edit(BASE, path, value));
    expectRejected(result, { file: 'portfolio.json', column: key });
  });

  it('a JSON number too large for a double (1e999) is not finite: an error under its key', async () => {
    const text = JSON.stringify(BASE, null, 2).replace('"startingCapital": 1000000', '"startingCapital": 1e999');
    expect(text).toContain('1e999');
    const result = await run(TWO, text);
    expectRejected(result, { file: 'portfolio.json', column: 'accounts[0] (Main).startingCapital' });
  });

  it('a config that is a list, not an object, is an error', async () => {
    const result = await run(TWO, '[]\n');
    expectRejected(result, { file: 'portfolio.json' });
  });
});

describe('ranges', () => {
  it.each([
    { path: ['accounts', 0, 'startingCapital'], value: 0, key: 'accounts[0] (Main).startingCapital' },
    { path: ['accounts', 0, 'startingCapital'], value: -1000, key: 'accounts[0] (Main).startingCapital' },
    { path: ['strategies', 1, 'marginPerUnit'], value: 0, key: 'strategies[1] (Beta).marginPerUnit' },
    { path: ['strategies', 1, 'marginPerUnit'], value: -5000, key: 'strategies[1] (Beta).marginPerUnit' },
    { path: ['strategies', 1, 'minPosition'], value: 0, key: 'strategies[1] (Beta).minPosition' },
    { path: ['strategies', 1, 'increment'], value: 0, key: 'strategies[1] (Beta).increment' },
    { path: ['strategies', 1, 'increment'], value: -1, key: 'strategies[1] (Beta).increment' },
    { path: ['strategies', 1, 'allocatedCapital'], value: 0, key: 'strategies[1] (Beta).allocatedCapital' },
    { path: ['strategies', 1, 'maxPositionScale'], value: 0, key: 'strategies[1] (Beta).maxPositionScale' },
    { path: ['thresholds', 'driftTolerance'], value: -0.01, key: 'thresholds.driftTolerance' },
    { path: ['thresholds', 'reconciliationToleranceUsd'], value: -1, key: 'thresholds.reconciliationToleranceUsd' },
    { path: ['thresholds', 'marginUtilizationAlertPct'], value: -1, key: 'thresholds.marginUtilizationAlertPct' },
    { path: ['thresholds', 'marginUtilizationAlertPct'], value: { account: -1, portfolio: 80 }, key: 'thresholds.marginUtilizationAlertPct.account' },
    { path: ['thresholds', 'marginUtilizationAlertPct'], value: { account: 80, portfolio: -5 }, key: 'thresholds.marginUtilizationAlertPct.portfolio' },
    { path: ['metrics', 'periodsPerYear'], value: 0, key: 'metrics.periodsPerYear' },
    { path: ['metrics', 'periodsPerYear'], value: -252, key: 'metrics.periodsPerYear' },
    { path: ['metrics', 'riskFreeRate'], value: -1, key: 'metrics.riskFreeRate' },
    { path: ['metrics', 'riskFreeRate'], value: -1.5, key: 'metrics.riskFreeRate' },
    { path: ['maxFileSizeBytes'], value: 0, key: 'maxFileSizeBytes' },
    { path: ['maxFileSizeBytes'], value: -1, key: 'maxFileSizeBytes' },
    { path: ['maxFileSizeBytes'], value: 1.5, key: 'maxFileSizeBytes' },
  ])('$key = $value is out of range, reported under its key', async ({ path, value, key }) => {
    const result = await run(TWO, edit(BASE, path, value));
    expectRejected(result, { file: 'portfolio.json', column: key });
  });

  it('the edges of every range are accepted and kept as written in the resolved config', async () => {
    const config = portfolio([strategy('Alpha', { maxPositionScale: 0.001, minPosition: 0.5, increment: 0.5 })], {
      thresholds: { driftTolerance: 0, reconciliationToleranceUsd: 0, marginUtilizationAlertPct: 0 },
      metrics: { periodsPerYear: 0.5, riskFreeRate: -0.99 },
      maxFileSizeBytes: 1000,
    });
    const result = await run({ 'Alpha.csv': GOOD_CSV }, config);
    expectWritten(result);
    expect(readSummary(result).config).toMatchObject({
      thresholds: { driftTolerance: 0, reconciliationToleranceUsd: 0, marginUtilizationAlertPct: { account: 0, portfolio: 0 } },
      metrics: { periodsPerYear: 0.5, riskFreeRate: -0.99 },
      maxFileSizeBytes: 1000,
    });
  });

  it.each([
    { path: ['accounts'], key: 'accounts' },
    { path: ['strategies'], key: 'strategies' },
  ])('an empty $key list is an error under $key', async ({ path, key }) => {
    const result = await run(TWO, edit(BASE, path, []));
    expectRejected(result, { file: 'portfolio.json', column: key });
  });

  it('an empty strategy name is an error under strategies[1]', async () => {
    const result = await run(TWO, edit(BASE, ['strategies', 1, 'name'], ''));
    expectRejected(result, { file: 'portfolio.json', mentions: ['strategies[1]', 'name'] });
  });
});

describe('rules across keys', () => {
  it.each([
    { minPosition: 1.5, increment: 1 },
    { minPosition: 0.5, increment: 1 },
    { minPosition: 10, increment: 3 },
  ])('minPosition $minPosition is not a whole multiple of increment $increment: an error naming the strategy', async ({ minPosition, increment }) => {
    const result = await run(TWO, edit(BASE, ['strategies', 1], strategy('Beta', { minPosition, increment })));
    expectRejected(result, { file: 'portfolio.json', column: ['strategies[1] (Beta).minPosition', 'strategies[1] (Beta).increment'] });
  });

  it('minPosition 0.3 with increment 0.1 is a whole multiple (within 1e-9), as are 2.5 / 0.5 and 3 / 1', async () => {
    const config = portfolio([
      strategy('Alpha', { minPosition: 0.3, increment: 0.1 }),
      strategy('Beta', { minPosition: 2.5, increment: 0.5 }),
      strategy('Gamma', { minPosition: 3, increment: 1 }),
    ]);
    const result = await run({ ...TWO, 'Gamma.csv': GOOD_CSV }, config);
    expectWritten(result);
  });

  it('a strategy of an account that does not exist is an error under its account key', async () => {
    const result = await run(TWO, edit(BASE, ['strategies', 1, 'account'], 'Nowhere'));
    expectRejected(result, { file: 'portfolio.json', column: 'strategies[1] (Beta).account', mentions: ['Nowhere'] });
  });

  it('two accounts with the same name are an error', async () => {
    const config = edit(BASE, ['accounts'], [
      { name: 'Main', startingCapital: 1000000 },
      { name: 'Main', startingCapital: 500000 },
    ]);
    const result = await run(TWO, config);
    expectRejected(result, { file: 'portfolio.json', column: ['accounts[1] (Main).name', 'accounts[1] (Main)', 'accounts[0] (Main).name', 'accounts[0] (Main)'] });
  });

  it('two strategies with the same name are an error', async () => {
    const result = await run(TWO, portfolio(['Alpha', 'Beta', 'Alpha']));
    expectRejected(result, { file: 'portfolio.json', column: ['strategies[2] (Alpha).name', 'strategies[2] (Alpha)', 'strategies[0] (Alpha).name', 'strategies[0] (Alpha)'] });
  });

  it('allocations above the account\'s startingCapital are an error naming the account', async () => {
    const config = edit(portfolio([strategy('Alpha', { allocatedCapital: 100000 }), strategy('Beta', { allocatedCapital: 50000.01 })]), ['accounts'], [
      { name: 'Main', startingCapital: 150000 },
    ]);
    const result = await run(TWO, config);
    expectRejected(result, { file: 'portfolio.json', column: ['startingCapital', 'allocatedCapital'], mentions: ['Main'] });
  });

  it('only the over-allocated account is named when there are two', async () => {
    const config = {
      accounts: [
        { name: 'Main', startingCapital: 300000 },
        { name: 'Side', startingCapital: 100000 },
      ],
      strategies: [strategy('Alpha', { allocatedCapital: 100000 }), strategy('Beta', { account: 'Side', allocatedCapital: 100001 })],
    };
    const result = await run(TWO, config);
    expectRejected(result, { file: 'portfolio.json', column: ['startingCapital', 'allocatedCapital'], mentions: ['Side'] });
    expect(linesReporting(result, { file: 'portfolio.json', mentions: ['accounts[0]'] })).toEqual([]);
  });

  it('allocations summing exactly to startingCapital, or above it by less than 1e-9 relative, are accepted', async () => {
    const config = {
      accounts: [
        { name: 'Main', startingCapital: 150000 },
        { name: 'Side', startingCapital: 150000 },
      ],
      strategies: [
        strategy('Alpha', { allocatedCapital: 100000 }),
        strategy('Beta', { allocatedCapital: 50000 }),
        strategy('Gamma', { account: 'Side', allocatedCapital: 150000.0001 }),
      ],
    };
    const result = await run({ ...TWO, 'Gamma.csv': GOOD_CSV }, config);
    expectWritten(result);
  });

  it.each<{ what: string; files: Record<string, string> }>([
    { what: 'no file at all', files: { 'Alpha.csv': GOOD_CSV } },
    { what: 'only beta.csv (names are case-sensitive)', files: { 'Alpha.csv': GOOD_CSV, 'beta.csv': GOOD_CSV } },
    { what: 'Beta.csv only in a sub-folder', files: { 'Alpha.csv': GOOD_CSV, 'old/Beta.csv': GOOD_CSV } },
  ])('a configured strategy with no CSV ($what) is an error naming the strategy', async ({ files }) => {
    const result = await run(files, BASE);
    expectRejected(result, { file: 'portfolio.json', column: 'strategies[1] (Beta).name', mentions: ['Beta'] });
  });

  it('alignment "intersection" with no date common to every file is an error under the key alignment', async () => {
    const late = csv(HEADER, '2024-01-08,0.01,1000,10000', '2024-01-09,0.01,1000,10000');
    const result = await run({ 'Alpha.csv': GOOD_CSV, 'Beta.csv': late }, portfolio(['Alpha', 'Beta'], { alignment: 'intersection' }));
    expectRejected(result, { file: 'portfolio.json', column: 'alignment' });
  });

  it('alignment "intersection" keeps only the dates every file has', async () => {
    const overlapping = csv(HEADER, '2024-01-04,0.01,1000,10000', '2024-01-05,0.01,1000,10000');
    const result = await run({ 'Alpha.csv': GOOD_CSV, 'Beta.csv': overlapping }, portfolio(['Alpha', 'Beta'], { alignment: 'intersection' }));
    expectWritten(result);
    expect(readReportCsv(result, '1_master_aligned_data.csv').rows.map((row) => row[0])).toEqual(['2024-01-04']);
  });
});

describe('syntax errors name the file and the line', () => {
  const json = (lines: string[]): string => `${lines.join('\n')}\n`;
  const accounts = '  "accounts": [{ "name": "Main", "startingCapital": 1000000 }],';
  const alpha = `  "strategies": [${JSON.stringify(strategy('Alpha'))}],`;

  it('a single-quoted JSON string on line 5 is a syntax error on line 5', async () => {
    const text = json(['{', accounts, alpha, '  "dateFormat": "YYYY-MM-DD",', "  \"alignment\": 'union'", '}']);
    const result = await run({ 'Alpha.csv': GOOD_CSV }, text);
    expectRejected(result, { file: 'portfolio.json', line: 5 });
  });

  it('an unquoted JSON value on line 4 is a syntax error on line 4', async () => {
    const text = json(['{', accounts, alpha, '  "alignment": union', '}']);
    const result = await run({ 'Alpha.csv': GOOD_CSV }, text);
    expectRejected(result, { file: 'portfolio.json', line: 4 });
  });

  it('a YAML item indented wrongly on line 7 is a syntax error on line 7 of that file', async () => {
    const text = ['accounts:', '  - name: Main', '    startingCapital: 1000000', 'strategies:', '  - name: Alpha', '    account: Main', '   marginPerUnit: 1000', '    minPosition: 1', ''].join('\n');
    const result = await run({ 'Alpha.csv': GOOD_CSV }, text, { configName: 'team.yaml' });
    expectRejected(result, { file: 'team.yaml', line: 7 });
  });

  it('a YAML key written twice in one mapping (line 4) is an error on line 4', async () => {
    const text = ['accounts:', '  - name: Main', '    startingCapital: 1000000', '    startingCapital: 2000000', 'strategies: []', ''].join('\n');
    const result = await run({ 'Alpha.csv': GOOD_CSV }, text, { configName: 'team.yml' });
    expectRejected(result, { file: 'team.yml', line: 4 });
  });

  it('a tab used as YAML indentation on line 3 is a syntax error on line 3', async () => {
    const text = ['accounts:', '  - name: Main', '\t  startingCapital: 1000000', ''].join('\n');
    const result = await run({ 'Alpha.csv': GOOD_CSV }, text, { configName: 'team.yaml' });
    expectRejected(result, { file: 'team.yaml', line: 3 });
  });

  it('a JSON config with a BOM is read', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV }, `\uFEFF${JSON.stringify(portfolio(['Alpha']))}`);
    expectWritten(result);
  });
});

describe('YAML 1.2 configs', () => {
  const yaml = (extra: string[] = [], capital = '1000000'): string =>
    [
      'accounts:',
      `  - name: Main`,
      `    startingCapital: ${capital}`,
      'strategies:',
      '  - name: Alpha',
      '    account: Main',
      '    marginPerUnit: 1000',
      '    minPosition: 1',
      '    increment: 1',
      '    allocatedCapital: 100000',
      '    maxPositionScale: 1',
      '  - name: Beta',
      '    account: Main',
      '    marginPerUnit: 1000',
      '    minPosition: 1',
      '    increment: 1',
      '    allocatedCapital: 100000',
      '    maxPositionScale: 1',
      ...extra,
      '',
    ].join('\n');

  it('a YAML config gives the same report, byte for byte, as the same config in JSON', async () => {
    const fromYaml = await run(TWO, yaml(), { configName: 'portfolio.yaml' });
    const fromJson = await run(TWO, BASE);
    expectWritten(fromYaml);
    expectWritten(fromJson);
    for (const file of ['1_master_aligned_data.csv', '2_account_performance.csv', '3_total_portfolio_performance.csv', 'summary.json']) {
      expect(readFileSync(join(fromYaml.case.out, file), 'utf8'), file).toBe(readFileSync(join(fromJson.case.out, file), 'utf8'));
    }
  });

  it('errors in a YAML config name the key the same way: strategies[1] (Beta).marginPerUnit', async () => {
    const text = yaml().replace(/(name: Beta[\s\S]*?)marginPerUnit: 1000/, '$1marginPerUnit: 0');
    expect(text).toContain('marginPerUnit: 0');
    const result = await run(TWO, text, { configName: 'portfolio.yaml' });
    expectRejected(result, { file: 'portfolio.yaml', column: 'strategies[1] (Beta).marginPerUnit' });
  });

  it.each([
    { value: '"1000000"', why: 'a quoted string' },
    { value: '1_000_000', why: 'a string in YAML 1.2 (underscores were YAML 1.1)' },
    { value: '.inf', why: 'infinite' },
    { value: '.nan', why: 'not a number' },
  ])('startingCapital: $value ($why) is an error under accounts[0] (Main).startingCapital', async ({ value }) => {
    const result = await run(TWO, yaml([], value), { configName: 'portfolio.yaml' });
    expectRejected(result, { file: 'portfolio.yaml', column: 'accounts[0] (Main).startingCapital' });
  });

  it('an unknown YAML key is a warning, and YAML 1.2 keeps "off" a string (an account may be named off)', async () => {
    const text = yaml(['colour: blue']).replace(/Main/g, 'off');
    const result = await run(TWO, text, { configName: 'portfolio.yaml' });
    expectWritten(result);
    expect(readReportCsv(result, '2_account_performance.csv').header).toContain('off_Equity_Value');
    expect(warningsOf(result, 'unknownConfigKey').map((warning) => warning.file)).toEqual(['portfolio.yaml']);
  });
});

describe('unknown keys are warnings', () => {
  it('each unknown key, at any level, is an unknownConfigKey warning naming its key; the run goes on', async () => {
    const config = edit(
      edit(
        edit(edit(edit(edit(BASE, ['colour'], 'blue'), ['accounts', 0, 'broker'], 'IB'), ['strategies', 1, 'notes'], 'x'), ['thresholds', 'extra'], 1),
        ['thresholds', 'marginUtilizationAlertPct'],
        { account: 80, portfolio: 80, total: 90 },
      ),
      ['metrics', 'benchmark'],
      'SPY',
    );
    const result = await run(TWO, config);
    expectWritten(result);
    const warnings = warningsOf(result, 'unknownConfigKey');
    expect(warnings.map((warning) => warning.file)).toEqual(Array(6).fill('portfolio.json'));
    for (const key of [
      'colour',
      'accounts[0] (Main).broker',
      'strategies[1] (Beta).notes',
      'thresholds.extra',
      'thresholds.marginUtilizationAlertPct.total',
      'metrics.benchmark',
    ]) {
      expect(
        warnings.filter((warning) => warning.column === key || warning.message.includes(key)),
        `a warning naming ${key}: ${JSON.stringify(warnings)}`,
      ).toHaveLength(1);
    }
  });

  it('the SPEC\'s own example config is accepted as it is, without a warning', async () => {
    const example = {
      accounts: [{ name: 'IBKR Main', startingCapital: 600000 }],
      strategies: [
        { name: 'SPX_Condors', account: 'IBKR Main', marginPerUnit: 5000, minPosition: 1, increment: 1, allocatedCapital: 200000, maxPositionScale: 1.0 },
      ],
      thresholds: { driftTolerance: 0.05, reconciliationToleranceUsd: 1, marginUtilizationAlertPct: { account: 80, portfolio: 80 } },
      alignment: 'union',
      dateFormat: 'YYYY-MM-DD',
      maxFileSizeBytes: 104857600,
      metrics: { periodsPerYear: 252, riskFreeRate: 0 },
    };
    const result = await run({ 'SPX_Condors.csv': GOOD_CSV }, example);
    expectWritten(result);
    expect(readSummary(result).warnings).toEqual([]);
    // Part C's keys (SPEC 21) are always in the resolved config, with their defaults.
    expect(readSummary(result).config).toEqual({
      ...example,
      thresholds: { ...example.thresholds, staleAfterWeekdays: 5 },
      attribution: { riskWindowDays: 63 },
    });
  });
});

describe('the resolved config in summary.json', () => {
  it('defaults are filled in for every optional key', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV }, portfolio(['Alpha']));
    expectWritten(result);
    expect(readSummary(result).config).toEqual({
      ...portfolio(['Alpha']),
      thresholds: { driftTolerance: 0.05, reconciliationToleranceUsd: 1, marginUtilizationAlertPct: { account: 80, portfolio: 80 }, staleAfterWeekdays: 5 },
      alignment: 'union',
      dateFormat: 'YYYY-MM-DD',
      maxFileSizeBytes: 104857600,
      metrics: { periodsPerYear: 252, riskFreeRate: 0 },
      attribution: { riskWindowDays: 63 },
    });
  });

  it('a partly written section keeps what is written and fills in the rest', async () => {
    const result = await run(
      { 'Alpha.csv': GOOD_CSV },
      portfolio(['Alpha'], { thresholds: { driftTolerance: 0.1, marginUtilizationAlertPct: { account: 50 } }, metrics: { riskFreeRate: 0.02 } }),
    );
    expectWritten(result);
    expect(readSummary(result).config).toMatchObject({
      thresholds: { driftTolerance: 0.1, reconciliationToleranceUsd: 1, marginUtilizationAlertPct: { account: 50, portfolio: 80 } },
      metrics: { periodsPerYear: 252, riskFreeRate: 0.02 },
    });
  });

  it('a single marginUtilizationAlertPct number is expanded to {account, portfolio} and used at both levels', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV }, portfolio(['Alpha'], { thresholds: { marginUtilizationAlertPct: 65 } }));
    expectWritten(result);
    const summary = readSummary(result);
    expect(summary.config).toMatchObject({ thresholds: { marginUtilizationAlertPct: { account: 65, portfolio: 65 } } });
    expect(summary.checks).toMatchObject({
      marginUtilization: { accounts: { Main: { thresholdPct: 65 } }, portfolio: { thresholdPct: 65 } },
    });
  });

  it('lists keep the order written: report columns follow the config, not the alphabet', async () => {
    const config = {
      accounts: [
        { name: 'Zulu', startingCapital: 500000 },
        { name: 'Alpha Acct', startingCapital: 500000 },
      ],
      strategies: [strategy('Zeta', { account: 'Alpha Acct' }), strategy('Able', { account: 'Zulu' }), strategy('Mid', { account: 'Zulu' })],
    };
    const result = await run({ 'Zeta.csv': GOOD_CSV, 'Able.csv': GOOD_CSV, 'Mid.csv': GOOD_CSV }, config);
    expectWritten(result);
    const master = readReportCsv(result, '1_master_aligned_data.csv').header.filter((name) => name.endsWith('_Margin_Used'));
    expect(master).toEqual(['Zeta_Margin_Used', 'Able_Margin_Used', 'Mid_Margin_Used']);
    const accounts = readReportCsv(result, '2_account_performance.csv').header.filter((name) => name.endsWith('_Equity_Value'));
    expect(accounts).toEqual(['Zulu_Equity_Value', 'Alpha Acct_Equity_Value']);
    const resolved = readSummary(result).config as { accounts: Json[]; strategies: Json[] };
    expect(resolved.strategies.map((item) => item['name'])).toEqual(['Zeta', 'Able', 'Mid']);
    expect(resolved.accounts.map((item) => item['name'])).toEqual(['Zulu', 'Alpha Acct']);
    expect(readSummary(result).inputs.map((input) => input.file)).toEqual(['Zeta.csv', 'Able.csv', 'Mid.csv']);
  });
});

describe('where the config is found', () => {
  const marked = (pct: number): Json => portfolio(['Alpha'], { thresholds: { marginUtilizationAlertPct: pct } });
  const yamlMarked = (pct: number): string => JSON.stringify(marked(pct)); // JSON is YAML 1.2 too
  const chosen = (result: Awaited<ReturnType<typeof run>>): unknown =>
    (readSummary(result).config as { thresholds: { marginUtilizationAlertPct: { account: number } } }).thresholds.marginUtilizationAlertPct.account;

  it('without --config, DIR/portfolio.json is used before portfolio.yaml and portfolio.yml', async () => {
    const c = writeCase({ 'Alpha.csv': GOOD_CSV, 'portfolio.json': JSON.stringify(marked(11)), 'portfolio.yaml': yamlMarked(22), 'portfolio.yml': yamlMarked(33) }, null);
    const result = await runCase({ ...c, config: undefined });
    expectWritten(result);
    expect(chosen(result)).toBe(11);
  });

  it('without --config and without portfolio.json, portfolio.yaml is used before portfolio.yml', async () => {
    const c = writeCase({ 'Alpha.csv': GOOD_CSV, 'portfolio.yaml': yamlMarked(22), 'portfolio.yml': yamlMarked(33) }, null);
    const result = await runCase({ ...c, config: undefined });
    expectWritten(result);
    expect(chosen(result)).toBe(22);
  });

  it('without --config, portfolio.yml alone is used', async () => {
    const c = writeCase({ 'Alpha.csv': GOOD_CSV, 'portfolio.yml': yamlMarked(33) }, null);
    const result = await runCase({ ...c, config: undefined });
    expectWritten(result);
    expect(chosen(result)).toBe(33);
  });

  it('--config wins over a portfolio.json in the data folder', async () => {
    const c = writeCase({ 'Alpha.csv': GOOD_CSV, 'portfolio.json': '{ broken' }, marked(44));
    const result = await runCase(c);
    expectWritten(result);
    expect(chosen(result)).toBe(44);
  });

  it('without --config and with no portfolio.json/.yaml/.yml in the data folder: exit 1 naming portfolio.json', async () => {
    const c = writeCase({ 'Alpha.csv': GOOD_CSV }, null);
    const result = await runCase({ ...c, config: undefined });
    expectRejected(result, { file: 'portfolio.json' });
  });

  it('a --config file that does not exist: exit 1 naming it, nothing written', async () => {
    const c = writeCase({ 'Alpha.csv': GOOD_CSV }, null);
    const result = await runCase({ ...c, config: join(c.root, 'missing-config.json') });
    expectRejected(result, { file: 'missing-config.json' });
  });

  it('a data folder that does not exist: exit 1 naming it, nothing written', async () => {
    const c = writeCase({}, portfolio(['Alpha']));
    const result = await runCase({ ...c, data: join(c.root, 'no-such-folder') });
    expectRejected(result, { file: 'no-such-folder' });
  });
});

describe('a config with errors stops the run before any data file is read', () => {
  const broken = { 'Alpha.csv': csv(HEADER, '2024-02-30,abc,-1,10000'), 'Beta.csv': '' };

  it('a config error plus broken CSVs: only the config error is reported', async () => {
    const result = await run(broken, edit(BASE, ['strategies', 0, 'marginPerUnit'], 0));
    expectRejected(result, { file: 'portfolio.json', column: 'strategies[0] (Alpha).marginPerUnit' });
    expect(result.stderr.filter((line) => line.includes('Alpha.csv') || line.includes('Beta.csv'))).toEqual([]);
  });

  it('a config syntax error plus broken CSVs: only the syntax error is reported', async () => {
    const result = await run(broken, '{\n  "accounts": [\n}\n');
    expectRejected(result, { file: 'portfolio.json', line: 3 });
    expect(result.stderr.filter((line) => line.includes('Alpha.csv') || line.includes('Beta.csv'))).toEqual([]);
  });

  it('every config error is reported at once, not only the first', async () => {
    let config = edit(BASE, ['strategies', 0, 'marginPerUnit'], 0);
    config = edit(config, ['accounts', 0, 'startingCapital'], 'lots');
    config = edit(config, ['strategies', 1, 'account'], 'Nowhere');
    config = edit(config, ['metrics', 'periodsPerYear'], 0);
    const result = await run(TWO, config);
    expectRejected(
      result,
      { file: 'portfolio.json', column: 'strategies[0] (Alpha).marginPerUnit' },
      { file: 'portfolio.json', column: 'accounts[0] (Main).startingCapital' },
      { file: 'portfolio.json', column: 'strategies[1] (Beta).account' },
      { file: 'portfolio.json', column: 'metrics.periodsPerYear' },
    );
  });

  it('a key error and a configured strategy without a CSV are both reported', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV }, edit(BASE, ['strategies', 0, 'marginPerUnit'], 0));
    expectRejected(
      result,
      { file: 'portfolio.json', column: 'strategies[0] (Alpha).marginPerUnit' },
      { file: 'portfolio.json', column: 'strategies[1] (Beta)', mentions: ['Beta'] },
    );
  });

  it('a config error leaves an existing output folder byte-identical', async () => {
    const c = writeCase(TWO, edit(BASE, ['alignment'], 'outer'), { existingOut: { 'summary.json': '{"old": true}\n', 'notes.txt': 'keep' } });
    const result = await runCase(c);
    expectRejected(result, { file: 'portfolio.json', column: 'alignment' });
  });
});

describe('bad usage: exit 2, nothing written', () => {
  it.each([
    { what: 'an unknown flag', args: (data: string, out: string) => ['run', '--data', data, '--out', out, '--bogus'], names: '--bogus' },
    { what: 'a flag without its value at the end', args: (data: string, out: string) => ['run', '--out', out, '--data'], names: '--data' },
    { what: 'a flag followed by another flag instead of a value', args: (data: string, out: string) => ['run', '--data', data, '--config', '--out', out], names: '--config' },
    { what: 'no --out', args: (data: string) => ['run', '--data', data], names: '--out' },
    { what: 'no --data', args: (_data: string, out: string) => ['run', '--out', out], names: '--data' },
    { what: 'a stray argument', args: (data: string, out: string) => ['run', 'extra', '--data', data, '--out', out], names: 'extra' },
    { what: 'an unknown command', args: (data: string, out: string) => ['frobnicate', '--data', data, '--out', out], names: 'frobnicate' },
  ])('$what: exit 2 and the message names $names', async ({ args, names }) => {
    const c = writeCase(TWO, BASE);
    const before = snapshot(c.root);
    const result = await runCli(args(c.data, c.out));
    expect(result.exitCode, result.stderr.join('\n')).toBe(2);
    expect(result.stderr.join('\n')).toContain(names);
    expect(snapshot(c.root)).toEqual(before);
  });

  it('the same case with correct usage runs (so the usage tests above fail for their usage only)', async () => {
    const c = writeCase(TWO, BASE);
    const result = await runCli(['run', '--data', c.data, '--config', c.config ?? '', '--out', c.out]);
    expect(result.exitCode, result.stderr.join('\n')).toBe(0);
  });

  it('bad input is exit 1, not 2: the exit codes tell the two apart', async () => {
    const result = await run(TWO, edit(BASE, ['alignment'], 'outer'));
    expectNothingWritten(result);
  });
});
