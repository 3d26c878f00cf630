/**
 * The SPEC's worked cases (../shared/cases), run through the command line exactly as a user
 * would: valid cases must match the expected files cell by cell within the SPEC's tolerance,
 * bad cases must exit 1, name every expected file/line/column, and write nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareCsv, compareJson } from './support/compareOutputs.js';
import { CASES_FOLDER, runCli, scratchFolder } from './support/runCli.js';

const validCases = readdirSync(CASES_FOLDER).filter((name) => !name.startsWith('bad-') && existsSync(join(CASES_FOLDER, name, 'expected')));
const badCases = readdirSync(CASES_FOLDER).filter((name) => name.startsWith('bad-'));
/** The part-C cases that need only the always-on sections (SPEC 15, 16, 18.1, 18.2, 19.1). */
const partCCases = ['c-tiny-pnl', 'c-tiny-transfers'].map((name) => join('part-c', name));

/** A progress line, printed once a run has taken a second (a loaded machine gets there on the smallest case). */
const progressLine = /^(\[\d+\/\d+\] .+ (\.\.\.|done in \d+\.\d s)|    \w+: \d+ of \d+ \(.*\))$/;

/** Runs a worked case through the command line; its output folder. */
async function runWorkedCase(caseFolder: string, name: string): Promise<string> {
  const out = scratchFolder(name.replaceAll('/', '-'));
  const result = await runCli(['run', '--data', join(caseFolder, 'data'), '--config', join(caseFolder, 'portfolio.json'), '--out', out]);
  expect(result.stderr.filter((line) => !progressLine.test(line)), 'errors or warnings on standard error').toEqual([]);
  expect(result.exitCode).toBe(0);
  return out;
}

describe('worked cases of SPEC parts A, B and C', () => {
  it.each([...validCases, ...partCCases])('%s matches the expected files', async (name) => {
    const caseFolder = join(CASES_FOLDER, name);
    const out = await runWorkedCase(caseFolder, name);
    const differences: string[] = [];
    for (const file of readdirSync(join(caseFolder, 'expected'))) {
      const expected = readFileSync(join(caseFolder, 'expected', file), 'utf8');
      const actual = readFileSync(join(out, file), 'utf8');
      if (file.endsWith('.csv')) differences.push(...compareCsv(file, actual, expected));
      else compareJson(file, JSON.parse(actual), JSON.parse(expected), differences);
    }
    expect(differences).toEqual([]);
  });

  it('part-c/c-tiny-restate matches on the always-on part-C sections (its restatements and benchmark are later issues)', async () => {
    const caseFolder = join(CASES_FOLDER, 'part-c', 'c-tiny-restate');
    const out = await runWorkedCaseIgnoringWarnings(caseFolder);
    const expectedFile = (file: string): string => readFileSync(join(caseFolder, 'expected', file), 'utf8');
    const differences = compareCsv('5_daily_pnl.csv', readFileSync(join(out, '5_daily_pnl.csv'), 'utf8'), expectedFile('5_daily_pnl.csv'));
    // The benchmark's column (SPEC 17) comes last: every column before it must match.
    const withoutBeta = expectedFile('6_rolling_metrics.csv').replaceAll(/,Portfolio_Rolling_Beta_63$|,[^,\n]*$/gm, '');
    differences.push(...compareCsv('6_rolling_metrics.csv', readFileSync(join(out, '6_rolling_metrics.csv'), 'utf8'), withoutBeta));
    const actual = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    const expected = JSON.parse(expectedFile('summary.json')) as Record<string, Record<string, unknown>>;
    compareJson('summary.asOf', actual['asOf'], expected['asOf'], differences);
    compareJson('summary.attribution', actual['attribution'], expected['attribution'], differences);
    for (const check of ['attributionReconciliation', 'freshness']) {
      compareJson(`summary.checks.${check}`, actual['checks']?.[check], expected['checks']?.[check], differences);
    }
    compareJson('summary.metrics', actual['metrics'], expected['metrics'], differences);
    expect(differences).toEqual([]);
  });
});

/** c-tiny-restate names a benchmark this run does not read yet: its warnings (unknown key, unconfigured file) are expected. */
async function runWorkedCaseIgnoringWarnings(caseFolder: string): Promise<string> {
  const out = scratchFolder('c-tiny-restate');
  const result = await runCli(['run', '--data', join(caseFolder, 'data'), '--config', join(caseFolder, 'portfolio.json'), '--out', out]);
  expect(result.exitCode, result.stderr.join('\n')).toBe(0);
  return out;
}

interface ExpectedError {
  file: string;
  line: number | null;
  column: string | null;
  key_any?: string[];
  mentions?: string[];
}

describe('worked bad-input cases', () => {
  it.each(badCases)('%s exits 1, names every error and writes nothing', async (name) => {
    const caseFolder = join(CASES_FOLDER, name);
    const out = join(scratchFolder(name), 'report');
    const result = await runCli(['run', '--data', join(caseFolder, 'data'), '--config', join(caseFolder, 'portfolio.json'), '--out', out]);
    expect(result.exitCode).toBe(1);
    expect(existsSync(out)).toBe(false);
    const expected = JSON.parse(readFileSync(join(caseFolder, 'expected', 'error.json'), 'utf8')) as ExpectedError | { errors: ExpectedError[] };
    const errors = 'errors' in expected ? expected.errors : [expected];
    for (const error of errors) {
      const matching = result.stderr.filter(
        (line) =>
          line.includes(error.file) &&
          (error.line === null || line.includes(`line ${error.line}`)) &&
          (error.column === null || line.includes(error.column)) &&
          (error.key_any === undefined || error.key_any.some((key) => line.includes(key))) &&
          (error.mentions ?? []).every((mention) => line.includes(mention)),
      );
      expect(matching, `an error line for ${JSON.stringify(error)} in:\n${result.stderr.join('\n')}`).not.toEqual([]);
    }
  });
});
