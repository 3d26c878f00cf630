/**
 * The red team's cases of issue 10 through the real command: a careless or hostile input never
 * gives a stack trace, an unbounded or forged message, a file the tool cannot read back, or a
 * silently wrong config. Each is one clear line naming the file, line and column (or the key,
 * or the flag), exit 1, nothing written.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDate } from '#shared/dates.ts';
import { runCli, scratchFolder } from '#test/support/runCli.ts';
import { spawnCli } from '#test/support/spawnCli.ts';
import {
  csv,
  expectRejected,
  expectWritten,
  GOOD_CSV,
  HEADER,
  portfolio,
  readReportCsv,
  readSummary,
  run,
  runCase,
  strategy,
  warningsOf,
  writeCase,
} from '#test/support/writeCase.ts';

const ALPHA = portfolio(['Alpha']);

describe('configs built to exhaust the parser are one error, not a stack trace', () => {
  it('a YAML alias bomb (a billion "x" from ten lines) is refused naming the file', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i += 1) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
    const result = await run({ 'Alpha.csv': GOOD_CSV }, `${lines.join('\n')}\naccounts: *a9\n`, { configName: 'portfolio.yaml' });
    expectRejected(result, { file: 'portfolio.yaml', says: /aliases expand too many times/ });
  });

  it('a scenario override nested 100,000 deep is refused naming the scenario\'s key', async () => {
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const base = JSON.stringify(portfolio(['Alpha'])).slice(0, -1);
    const result = await run({ 'Alpha.csv': GOOD_CSV }, `${base},"scenarios":[{"name":"Deep","overrides":${deep}}]}`);
    expectRejected(result, { file: 'portfolio.json', column: 'scenarios[0] (Deep).overrides.a.a.a', says: /nested more than 32 levels deep/ });
    expect(result.stderr[0]?.length).toBeLessThan(250);
  });

  it('YAML nested 100,000 deep is a YAML error on its line', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV }, `accounts: ${'['.repeat(100_000)}1${']'.repeat(100_000)}\n`, { configName: 'portfolio.yaml' });
    expectRejected(result, { file: 'portfolio.yaml', line: 1, says: /nested too deeply/ });
  });

  it('a data folder that is a file is one line, exit 1, no stack trace', async () => {
    const root = scratchFolder('data-file');
    writeFileSync(join(root, 'portfolio.json'), JSON.stringify(ALPHA));
    const result = await spawnCli(['run', '--data', join(root, 'portfolio.json'), '--out', join(root, 'report')]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(`error: --data ${join(root, 'portfolio.json')} is a file, not a folder`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('duplicate keys and __proto__', () => {
  it('a JSON key written twice is an error naming the key and the line of its second writing (JSON.parse would keep the last silently)', async () => {
    const text = ['{', '  "accounts": [{ "name": "Main",', '    "startingCapital": 1000000,', '    "startingCapital": 10 }],', `  "strategies": [${JSON.stringify(strategy('Alpha'))}]`, '}'].join('\n');
    const result = await run({ 'Alpha.csv': GOOD_CSV }, text);
    expectRejected(result, { file: 'portfolio.json', line: 4, mentions: ['"startingCapital"', 'accounts[0] (Main)', 'first on line 3'] });
  });

  it('a YAML key written twice names the key too', async () => {
    const text = ['accounts:', '  - name: Main', '    startingCapital: 1000000', '    startingCapital: 10', 'strategies: []'].join('\n');
    const result = await run({ 'Alpha.csv': GOOD_CSV }, text, { configName: 'portfolio.yaml' });
    expectRejected(result, { file: 'portfolio.yaml', line: 4, mentions: ['"startingCapital"'] });
  });

  it('__proto__ in a scenario override is an unknown key, never the prototype of the merged config', async () => {
    const text = JSON.stringify(portfolio(['Alpha'], { scenarios: [{ name: 'Sneaky', overrides: { allocation: { kellyFraction: 0.25 } } }] })).replace(
      '"kellyFraction":0.25',
      '"kellyFraction":0.25,"__proto__":{"method":"riskParity"}',
    );
    const result = await run({ 'Alpha.csv': GOOD_CSV }, text);
    expectWritten(result);
    expect(warningsOf(result, 'unknownConfigKey').map((warning) => warning.column)).toEqual(['scenarios[0] (Sneaky).overrides.allocation.__proto__']);
    const comparison = JSON.parse(readFileSync(join(result.case.out, 'comparison.json'), 'utf8')) as { scenarios: { name: string; allocation: { method: string; kellyFraction: number } }[] };
    expect(comparison.scenarios.map(({ name, allocation }) => [name, allocation.method, allocation.kellyFraction])).toEqual([['Sneaky', 'fixed', 0.25]]);
    expect(({} as { method?: string }).method).toBeUndefined();
  });
});

describe('messages are bounded and cannot be forged', () => {
  it('a file with \\r alone as line ends is one error naming the file, not its whole text echoed', async () => {
    const rows = Array.from({ length: 20_000 }, (_, day) => `2024-01-02,0.0${day % 9},1000,10000`);
    const result = await run({ 'Alpha.csv': [HEADER, ...rows].join('\r') }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: null, says: /\\r alone/ });
    expect(Math.max(...result.stderr.map((line) => line.length))).toBeLessThan(300);
  });

  it('a 50,000-character cell is quoted cut to 80 characters, with its length said', async () => {
    const result = await run({ 'Alpha.csv': csv(HEADER, '2024-01-02,0.01,1000,10000', `2024-01-03,${'9'.repeat(25_000)}x${'9'.repeat(24_999)},1000,10000`) }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: 3, column: 'Return', mentions: [`"${'9'.repeat(80)}"… (50,000 characters)`] });
    expect(result.stderr[0]?.length).toBeLessThan(250);
  });

  it('a strategy name holding a line break cannot forge a second error line: every line printed is one message', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV }, portfolio(['Alpha', 'Beta\nerror: everything is fine']));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toEqual([
      'error: portfolio.json, strategies[1] (Beta\\nerror: everything is fine).name: no file "Beta\\nerror: everything is fine.csv" in the data folder (names are case-sensitive)',
      '1 error(s); nothing was written to ' + result.case.out,
    ]);
  });

  it('in a good run, such a name prints on one line of the summary', async () => {
    const name = 'Beta\ninjected line';
    const result = await run({ 'Alpha.csv': GOOD_CSV, [`${name}.csv`]: GOOD_CSV }, portfolio(['Alpha', name]));
    expectWritten(result);
    expect(result.stdout.some((line) => line.startsWith('injected line'))).toBe(false);
    expect(result.stdout.some((line) => line.includes('Beta\\ninjected line'))).toBe(true);
  });
});

describe('dates, encodings, links and the smaller ones', () => {
  it('dates before year 1000 are written with four digits, so the tool reads its own output back', async () => {
    const result = await run({ 'Alpha.csv': csv(HEADER, '0999-12-30,0.01,1000,10000', '0999-12-31,0.01,1000,10000', '1000-01-03,0.01,1000,10000') }, ALPHA);
    expectWritten(result);
    const dates = readReportCsv(result, '1_master_aligned_data.csv').rows.map((row) => row[0] ?? '');
    expect(dates).toEqual(['0999-12-30', '0999-12-31', '1000-01-03']);
    expect(dates.every((date) => parseDate(date, 'YYYY-MM-DD').ok)).toBe(true);
    expect(Object.keys((readSummary(result) as unknown as { metrics: { portfolio: { monthlyReturns: object } } }).metrics.portfolio.monthlyReturns)).toEqual(['0999-12', '1000-01']);
  });

  it.each([
    ['UTF-16BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(GOOD_CSV, 'utf16le').swap16()])],
    ['UTF-16LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD_CSV, 'utf16le')])],
  ])('a %s file is one error naming the encoding, not four garbled header errors', async (encoding, bytes) => {
    const result = await run({ 'Alpha.csv': bytes }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', line: null, mentions: [encoding, 'UTF-8'] });
    expect(result.stderr).toHaveLength(2);
  });

  it('UTF-16 without a byte order mark (NUL bytes) is said to be not UTF-8', async () => {
    const result = await run({ 'Alpha.csv': Buffer.from(GOOD_CSV, 'utf16le') }, ALPHA);
    expectRejected(result, { file: 'Alpha.csv', says: /not UTF-8/ });
  });

  it('a CSV that is a symbolic link to a file elsewhere is read', async () => {
    const c = writeCase({}, ALPHA);
    const elsewhere = join(c.root, 'exports');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'alpha-2024.csv'), GOOD_CSV);
    symlinkSync(join(elsewhere, 'alpha-2024.csv'), join(c.data, 'Alpha.csv'));
    const result = await runCase(c);
    expectWritten(result);
    expect(readSummary(result).inputs.map((input) => [input.file, input.rows])).toEqual([['Alpha.csv', 3]]);
  });

  it.each(['run', 'optimize', 'sample'])('"%s --help" prints the usage and exits 0', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.join('\n')).toMatch(/^Usage:/);
  });

  it('a configured strategy with no CSV names its key down to .name', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV, 'Beta.csv': GOOD_CSV }, portfolio(['Alpha', 'Beta', 'Gamma']));
    expectRejected(result, { file: 'portfolio.json', column: 'strategies[2] (Gamma).name' });
  });

  it('a bad optimizer.inSampleEnd is quoted as it was written', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV }, portfolio(['Alpha'], { optimizer: { inSampleEnd: '2024-02-30' } }));
    expectRejected(result, { file: 'portfolio.json', column: 'optimizer.inSampleEnd', mentions: ['"2024-02-30"'] });
  });

  it('an optimizer.inSampleEnd outside the calendar is quoted too', async () => {
    const result = await run({ 'Alpha.csv': GOOD_CSV }, portfolio(['Alpha'], { optimizer: { inSampleEnd: '2030-01-02' } }));
    expectRejected(result, { file: 'portfolio.json', column: 'optimizer.inSampleEnd', mentions: ['"2030-01-02"'] });
  });
});
