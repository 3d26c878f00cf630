/**
 * SPEC 19.2, restatements: each kind of difference between a track record and its previous
 * copy (changed past the 1e-12 relative rule, removed, inserted, appended), then through the
 * command line what a user sees: restatements.csv row by row, summary.json `restatements` and
 * its check, `previousUnreadable` warnings naming the first error, what is not compared (a new
 * strategy, a retired one's file, the previous folder's config), and `--previous-data` as bad
 * input or bad usage.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareTrackRecords, differs, type DatedValues } from '#shared/calc/restatements.ts';
import { dayNumber } from '#shared/dates.ts';
import type { Validation } from '#shared/model/validation.ts';
import { artifactKey, readJson } from '#shared/pipeline/artifacts.ts';
import { loadAndValidate } from '#shared/pipeline/loadAndValidate.ts';
import { FileSystemStorage } from '#shared/storage/fileSystemStorage.ts';
import { chartNotes } from '#shared/report/charts/chartNotes.ts';
import { reportPaths } from '#shared/report/reportNames.ts';
import { runCli, scratchFolder } from '#test/support/runCli.ts';
import { csv, expectWritten, GOOD_CSV, HEADER, portfolio, readSummary, runCase, snapshot, warningsOf, writeCase, type Run } from '#test/support/writeCase.ts';

const day = (iso: string): number => dayNumber(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));

function record(rows: readonly [string, number, number, number][]): DatedValues {
  return {
    dates: Int32Array.from(rows, ([date]) => day(date)),
    returns: Float64Array.from(rows, ([, value]) => value),
    marginUsed: Float64Array.from(rows, ([, , margin]) => margin),
    notional: Float64Array.from(rows, ([, , , notional]) => notional),
  };
}

describe('the kinds of restatement', () => {
  const previous = record([
    ['2024-01-01', 0.004, 1000, 10000],
    ['2024-01-02', 0.01, 1000, 10000],
    ['2024-01-04', -0.02, 2000, 20000],
    ['2024-01-05', 0.003, 1000, 10000],
  ]);
  const current = record([
    ['2024-01-02', 0.01, 1000, 10000],
    ['2024-01-03', 0.005, 1000, 10000],
    ['2024-01-04', -0.021, 2000, 25000],
    ['2024-01-05', 0.003, 1000, 10000],
    ['2024-01-08', 0.001, 1000, 10000],
    ['2024-01-09', 0.002, 1000, 10000],
  ]);
  const result = compareTrackRecords(previous, current);

  it('counts changed, removed and inserted dates, and appended ones after the previous copy\'s last date', () => {
    expect([result.changed, result.removed, result.inserted, result.appended]).toEqual([1, 1, 1, 2]);
  });

  it('lists a row per changed column and per removed or inserted date, in date then column order', () => {
    expect(result.rows).toEqual([
      { date: day('2024-01-01'), kind: 'removed', column: null, previous: 0.004, current: null },
      { date: day('2024-01-03'), kind: 'inserted', column: null, previous: null, current: 0.005 },
      { date: day('2024-01-04'), kind: 'changed', column: 'Return', previous: -0.02, current: -0.021 },
      { date: day('2024-01-04'), kind: 'changed', column: 'Notional_Value', previous: 20000, current: 25000 },
    ]);
  });

  it('a value is changed beyond 1e-12 of the larger magnitude, not within it (0.7 % read as 0.7 / 100 is 0.007)', () => {
    expect(0.7 / 100 === 0.007).toBe(false);
    expect(differs(0.7 / 100, 0.007)).toBe(false);
    expect(differs(1, 1 + 5e-13)).toBe(false);
    expect(differs(1, 1 + 2e-12)).toBe(true);
    expect(differs(0, 0)).toBe(false);
    expect(differs(0, 5e-324)).toBe(true);
    expect(differs(-0.01, 0.01)).toBe(true);
  });

  it('the same copy, and a copy that only lacks the newest dates, restate nothing', () => {
    expect(compareTrackRecords(current, current).rows).toEqual([]);
    const older = record([['2024-01-02', 0.01, 1000, 10000]]);
    expect(compareTrackRecords(older, current)).toMatchObject({ changed: 0, removed: 0, inserted: 0, appended: 5, rows: [] });
  });
});

// ---------------------------------------------------------------------------------------
// Through the command line
// ---------------------------------------------------------------------------------------

const ALPHA = csv(HEADER, '2024-01-02,0.7%,1000,10000', '2024-01-03,-0.005,1000,10000', '2024-01-04,0.002,2000,20000', '2024-01-05,0.001,2000,20000');
const ALPHA_BEFORE = csv('Day,Ret,Margin,Notional', '2024-01-04,0.002,2000,20000.0', '2024-01-02,0.007,1e3,10000', '2024-01-03,-0.004,1000,10000');
const BETA = GOOD_CSV;

/** A case with `data/` and a previous folder beside it (`previous/`), run with `--previous-data`. */
async function runWithPrevious(previousFiles: Record<string, string | Uint8Array>, config = portfolio(['Alpha', 'Beta']), data: Record<string, string> = { 'Alpha.csv': ALPHA, 'Beta.csv': BETA }): Promise<Run & { previous: string }> {
  const c = writeCase(data, config);
  const previous = join(c.root, 'previous');
  mkdirSync(previous);
  for (const [name, body] of Object.entries(previousFiles)) writeFileSync(join(previous, name), body);
  return { ...(await runCase(c, ['--previous-data', previous])), previous };
}

const restatementsCsv = (written: Run): string => readFileSync(join(written.case.out, 'restatements.csv'), 'utf8');

describe('run --previous-data DIR', () => {
  it('writes restatements.csv, summary.json restatements and a failing check for a changed date; 0.7% and 0.007 are the same value', async () => {
    const written = await runWithPrevious({ 'Alpha.csv': ALPHA_BEFORE, 'Beta.csv': BETA });
    expectWritten(written);
    expect(restatementsCsv(written)).toBe('Strategy,Date,Kind,Column,Previous,Current\nAlpha,2024-01-03,changed,Return,-0.004,-0.005\n');
    const summary = readSummary(written) as unknown as { restatements: unknown; checks: { restatements: unknown } };
    expect(summary.restatements).toEqual({
      previous: written.previous,
      strategies: { Alpha: { changed: 1, removed: 0, inserted: 0, appended: 1, firstDate: '2024-01-03', lastDate: '2024-01-03' } },
    });
    expect(summary.checks.restatements).toEqual({ status: 'fail', strategies: 1, dates: 1 });
    expect(written.stdout.join('\n')).toMatch(/FAIL {2}restatements/);
  });

  it('a removed and an inserted date carry the Return of the copy that has them', async () => {
    const before = csv(HEADER, '2023-12-29,0.003,1000,10000', '2024-01-02,0.007,1000,10000', '2024-01-04,0.002,2000,20000');
    const written = await runWithPrevious({ 'Alpha.csv': before });
    expectWritten(written);
    expect(restatementsCsv(written)).toBe(
      ['Strategy,Date,Kind,Column,Previous,Current', 'Alpha,2023-12-29,removed,,0.003,', 'Alpha,2024-01-03,inserted,,,-0.005', ''].join('\n'),
    );
    expect((readSummary(written) as unknown as { restatements: { strategies: unknown } }).restatements.strategies).toEqual({
      Alpha: { changed: 0, removed: 1, inserted: 1, appended: 1, firstDate: '2023-12-29', lastDate: '2024-01-03' },
    });
  });

  it('nothing differs: the header alone, no strategy listed, the check passes', async () => {
    const written = await runWithPrevious({ 'Alpha.csv': ALPHA, 'Beta.csv': BETA });
    expectWritten(written);
    expect(restatementsCsv(written)).toBe('Strategy,Date,Kind,Column,Previous,Current\n');
    const summary = readSummary(written) as unknown as { restatements: unknown; checks: { restatements: unknown } };
    expect(summary.restatements).toEqual({ previous: written.previous, strategies: {} });
    expect(summary.checks.restatements).toEqual({ status: 'pass', strategies: 0, dates: 0 });
  });

  it('a strategy new since the previous copy, a retired strategy\'s file and the previous config are not compared', async () => {
    const written = await runWithPrevious({
      'Retired.csv': csv(HEADER, '2024-01-02,0.5,1000,10000'),
      'portfolio.json': '{ not even json',
      'Alpha.csv': ALPHA,
    });
    expectWritten(written);
    expect(restatementsCsv(written)).toBe('Strategy,Date,Kind,Column,Previous,Current\n');
    expect(readSummary(written).warnings).toEqual([]);
  });

  it('the first lines name each restated strategy (past days, date range, largest return change) and a strategy new since the previous copy', async () => {
    const before = csv(HEADER, '2023-12-29,0.003,1000,10000', '2024-01-02,0.007,1000,10000', '2024-01-03,-0.004,1000,10000', '2024-01-04,0.001,2000,20000');
    const written = await runWithPrevious({ 'Alpha.csv': before });
    expectWritten(written);
    // A long line wraps onto the next, indented by two spaces.
    const lines = written.stdout.join('\n').replaceAll('\n  ', ' ');
    expect(lines).toContain('1 restated:');
    expect(lines).toContain(
      '- Alpha re-sent 3 past days, 2023-12-29 to 2024-01-04 (2 changed, 1 removed); largest return change -0.10 % on 2024-01-03 (-0.40 % before, -0.50 % now)',
    );
    expect(lines).toContain('New since the previous copy of the inputs: Beta');
    expect(lines).not.toContain('Beta re-sent');
  });

  it('the pages: the index\'s data section lists each strategy\'s span, rows, lag and what changed; the tearsheet lists the changed values and the chart marks their dates', async () => {
    const before = csv(HEADER, '2023-12-29,0.003,1000,10000', '2024-01-02,0.007,1000,10000', '2024-01-03,-0.004,1000,10000', '2024-01-04,0.001,2000,20000');
    const gamma = csv(HEADER, '2024-01-02,0.01,1000,10000', '2024-01-03,0.01,1000,10000');
    const written = await runWithPrevious({ 'Alpha.csv': before, 'Gamma.csv': csv(HEADER, '2024-01-02,0.01,1000,10000') }, portfolio(['Alpha', 'Beta', 'Gamma']), {
      'Alpha.csv': ALPHA,
      'Beta.csv': BETA,
      'Gamma.csv': gamma,
    });
    expectWritten(written);
    const text = (html: string): string => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
    const index = readFileSync(join(written.case.out, 'index.html'), 'utf8');
    const row = (name: string): string => text(index.match(new RegExp(`<tr data-strategy="${name}">.*?</tr>`, 's'))?.[0] ?? '');
    expect(row('Alpha')).toBe('Alpha2024-01-022024-01-0540restated: 3 past days, 2023-12-29 to 2024-01-04; the changed values, restatements.csv lines 2 to 4');
    expect(row('Beta')).toBe('Beta2024-01-022024-01-0431new: no file in the previous copy');
    expect(row('Gamma')).toBe('Gamma2024-01-022024-01-0322unchanged, 1 date appended');
    expect(index).toContain(`Compared with the previous copy ${written.previous}: 1 strategy restated, 1 new`);
    expect(index).toContain('<li><a href="restatements.csv">restatements.csv</a></li>');

    const alphaPage = (name: string): string => join(written.case.out, reportPaths.tearsheet('strategy', name));
    const tearsheet = readFileSync(alphaPage('Alpha'), 'utf8');
    const table = tearsheet.match(/<table id="restated-values">.*?<\/table>/s)?.[0] ?? '';
    const cells = [...table.matchAll(/<tr>(.*?)<\/tr>/gs)].map(([, cellsHtml]) => [...(cellsHtml ?? '').matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map(([, cell]) => text(cell ?? '')));
    expect(cells).toEqual([
      ['Date', 'What', 'Column', 'Previous', 'Current', 'Difference'],
      ['2023-12-29', 'removed', 'Return', '0.003', '', ''],
      ['2024-01-03', 'changed', 'Return', '-0.004', '-0.005', '-0.001'],
      ['2024-01-04', 'changed', 'Return', '0.001', '0.002', '0.001'],
    ]);
    expect(readFileSync(alphaPage('Beta'), 'utf8')).not.toContain('restated-values');
    const { notes } = chartNotes(readFileSync(join(written.case.out, reportPaths.equityChart('strategy', 'Alpha'))));
    // The removed 2023-12-29 is on no date of this run: its cross is on the first date after it.
    expect(notes?.alt).toContain('Marked with crosses: 3 dates restated since the previous copy, 2024-01-02 to 2024-01-04.');
    expect(chartNotes(readFileSync(join(written.case.out, reportPaths.equityChart('strategy', 'Beta')))).notes?.alt).not.toContain('restated');
  });

  it('a previous file that cannot be read is a previousUnreadable warning naming its first error, and the run goes on', async () => {
    const written = await runWithPrevious({
      // Found in this order: the bad number on line 4, then the date written again on line 3: the first is line 3's.
      'Alpha.csv': csv(HEADER, '2024-01-02,0.01,1000,10000', '2024-01-02,0.01,1000,10000', '2024-01-03,n/a,1000,10000'),
      'Beta.csv': csv(HEADER),
    });
    expectWritten(written);
    const unreadable = warningsOf(written, 'previousUnreadable');
    expect(unreadable.map(({ file, line, column }) => ({ file, line, column }))).toEqual([
      { file: 'Alpha.csv', line: 3, column: 'Date' },
      { file: 'Beta.csv', line: null, column: null },
    ]);
    expect(unreadable[0]?.message).toContain('2024-01-02');
    // Listed last, after the warnings of the inputs the run read.
    expect(readSummary(written).warnings.at(-1)?.kind).toBe('previousUnreadable');
    expect(restatementsCsv(written)).toBe('Strategy,Date,Kind,Column,Previous,Current\n');
  });

  it('previous files are read with the current config\'s dateFormat and maxFileSizeBytes', async () => {
    const written = await runWithPrevious(
      { 'Alpha.csv': csv(HEADER, '01/02/2024,0.007,1000,10000'), 'Beta.csv': csv(HEADER, ...new Array(20).fill('2024-01-02,0.01,1000,10000')) },
      portfolio(['Alpha', 'Beta'], { maxFileSizeBytes: 400 }),
    );
    expectWritten(written);
    expect(warningsOf(written, 'previousUnreadable').map(({ file, line, column }) => ({ file, line, column }))).toEqual([
      { file: 'Alpha.csv', line: 2, column: 'Date' },
      { file: 'Beta.csv', line: null, column: null },
    ]);
  });

  it('the label is the folder as given on the command line', async () => {
    const c = writeCase({ 'Alpha.csv': ALPHA }, portfolio(['Alpha']));
    mkdirSync(join(c.root, 'last week'));
    writeFileSync(join(c.root, 'last week', 'Alpha.csv'), ALPHA);
    const written = await runCase(c, ['--previous-data', join(c.root, 'last week', '')]);
    expectWritten(written);
    expect((readSummary(written) as unknown as { restatements: { previous: string } }).restatements.previous).toBe(join(c.root, 'last week', ''));
  });

  it('without --previous-data: no restatements.csv, no key, no check', async () => {
    const written = await runCase(writeCase({ 'Alpha.csv': ALPHA }, portfolio(['Alpha'])));
    expectWritten(written);
    expect(existsSync(join(written.case.out, 'restatements.csv'))).toBe(false);
    expect(readSummary(written)).not.toHaveProperty('restatements');
    expect(readSummary(written).checks).not.toHaveProperty('restatements');
  });
});

describe('the stage, as the cloud calls it: both snapshots by storage key', () => {
  it('Load+Validate with previousDataPrefix compares with the objects under it and names them by previousLabel', async () => {
    const storage = new FileSystemStorage(scratchFolder('snapshots'));
    await storage.put('runs/run-2/input/Alpha.csv', ALPHA);
    await storage.put('runs/run-2/input/portfolio.json', JSON.stringify(portfolio(['Alpha'])));
    await storage.put('runs/run-1/input/Alpha.csv', ALPHA_BEFORE);
    await storage.put('runs/run-1/input/old/Alpha.csv', ALPHA);
    const workPrefix = 'runs/run-2/work';
    await loadAndValidate(storage, { dataPrefix: 'runs/run-2/input', workPrefix, previousDataPrefix: 'runs/run-1/input', previousLabel: 'run-1' });
    const validation = await readJson<Validation>(storage, artifactKey(workPrefix, 'validation'));
    expect(validation.restatements).toEqual({
      previous: 'run-1',
      strategies: { Alpha: { changed: 1, removed: 0, inserted: 0, appended: 1, firstDate: '2024-01-03', lastDate: '2024-01-03' } },
    });
    expect(new TextDecoder().decode(await storage.get(artifactKey(workPrefix, 'restatements')))).toBe(
      'Strategy,Date,Kind,Column,Previous,Current\nAlpha,2024-01-03,changed,Return,-0.004,-0.005\n',
    );
  });

  it('without previousDataPrefix (the first run) nothing is compared', async () => {
    const storage = new FileSystemStorage(scratchFolder('first-run'));
    await storage.put('runs/run-1/input/Alpha.csv', ALPHA);
    await storage.put('runs/run-1/input/portfolio.json', JSON.stringify(portfolio(['Alpha'])));
    await loadAndValidate(storage, { dataPrefix: 'runs/run-1/input', workPrefix: 'runs/run-1/work' });
    expect(await readJson<Validation>(storage, artifactKey('runs/run-1/work', 'validation'))).not.toHaveProperty('restatements');
  });
});

describe('--previous-data as bad input or bad usage', () => {
  it('a missing folder exits 1 naming the flag and the folder, and writes nothing', async () => {
    const c = writeCase({ 'Alpha.csv': ALPHA }, portfolio(['Alpha']));
    const missing = join(c.root, 'no-such-folder');
    const before = snapshot(c.root);
    const result = await runCli(['run', '--data', c.data, '--config', c.config ?? '', '--previous-data', missing, '--out', c.out]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr[0]).toContain(`--previous-data ${missing}`);
    expect(result.stderr[0]).toMatch(/does not exist/);
    expect(snapshot(c.root)).toEqual(before);
  });

  it('a file instead of a folder exits 1', async () => {
    const c = writeCase({ 'Alpha.csv': ALPHA }, portfolio(['Alpha']));
    const result = await runCli(['run', '--data', c.data, '--config', c.config ?? '', '--previous-data', join(c.data, 'Alpha.csv'), '--out', c.out]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr[0]).toMatch(/--previous-data .*Alpha\.csv.*not a folder/);
  });

  it.each([
    ['--out inside --previous-data', (previous: string) => join(previous, 'report')],
    ['--out equal to --previous-data', (previous: string) => previous],
  ])('%s is refused like --data: exit 2, naming both flags, nothing written', async (_, outOf) => {
    const c = writeCase({ 'Alpha.csv': ALPHA }, portfolio(['Alpha']));
    const previous = join(c.root, 'previous');
    mkdirSync(previous);
    writeFileSync(join(previous, 'Alpha.csv'), ALPHA);
    const before = snapshot(c.root);
    const result = await runCli(['run', '--data', c.data, '--config', c.config ?? '', '--previous-data', previous, '--out', outOf(previous)]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.join('\n')).toMatch(/--out .* and --previous-data .* overlap/);
    expect(snapshot(c.root)).toEqual(before);
  });

  it('optimize does not take --previous-data (bad usage, exit 2); an empty value is bad usage too', async () => {
    const c = writeCase({ 'Alpha.csv': ALPHA }, portfolio(['Alpha']));
    const out = join(scratchFolder('optimize'), 'out');
    const optimize = await runCli(['optimize', '--data', c.data, '--previous-data', c.data, '--out', out]);
    expect(optimize.exitCode).toBe(2);
    expect(optimize.stderr[0]).toMatch(/previous-data/);
    const empty = await runCli(['run', '--data', c.data, '--previous-data', '', '--out', out]);
    expect(empty.exitCode).toBe(2);
  });
});
