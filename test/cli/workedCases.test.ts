/**
 * The SPEC's worked cases (../shared/cases), run through the command line exactly as a user
 * would: valid cases must match the expected files cell by cell within the SPEC's tolerance,
 * bad cases must exit 1, name every expected file/line/column, and write nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareCsv, compareJson } from '#test/support/compareOutputs.ts';
import { CASES_FOLDER, runCli, scratchFolder } from '#test/support/runCli.ts';
import { spawnCli } from '#test/support/spawnCli.ts';

const validCases = readdirSync(CASES_FOLDER).filter((name) => !name.startsWith('bad-') && existsSync(join(CASES_FOLDER, name, 'expected')));
const badCases = readdirSync(CASES_FOLDER).filter((name) => name.startsWith('bad-'));
/** The part-C cases that need only the always-on sections (SPEC 15, 16, 18.1, 18.2, 19.1); c-tiny-restate is run with its previous copy below. */
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

  it('part-c/c-tiny-restate matches whole, run from its folder with --previous-data previous (SPEC 17, 19.2)', async () => {
    const caseFolder = join(CASES_FOLDER, 'part-c', 'c-tiny-restate');
    const out = scratchFolder('c-tiny-restate');
    // As the case's README runs it: from the case folder, so that the label is the folder as given.
    const result = await spawnCli(['run', '--data', 'data', '--config', 'portfolio.json', '--previous-data', 'previous', '--out', out], { cwd: caseFolder });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr.split('\n').filter((line) => line !== '' && !progressLine.test(line))).toEqual([]);
    const differences: string[] = [];
    for (const file of readdirSync(join(caseFolder, 'expected'))) {
      const expected = readFileSync(join(caseFolder, 'expected', file), 'utf8');
      const actual = readFileSync(join(out, file), 'utf8');
      if (file.endsWith('.csv')) {
        differences.push(...compareCsv(file, actual, expected));
        continue;
      }
      // A warning is checked by its kind, file and line (SPEC 6); its message is ours to word.
      const { warnings: actualWarnings, ...actualRest } = JSON.parse(actual) as { warnings: Record<string, unknown>[] };
      const { warnings: expectedWarnings, ...expectedRest } = JSON.parse(expected) as { warnings: Record<string, unknown>[] };
      const located = (warnings: Record<string, unknown>[]): unknown[] => warnings.map(({ kind, file: name, line }) => ({ kind, file: name, line }));
      compareJson('summary.warnings', located(actualWarnings), located(expectedWarnings), differences);
      compareJson(file, actualRest, expectedRest, differences);
    }
    expect(differences).toEqual([]);
    expect(result.stdout).toContain('FAIL  restatements');
  });
});

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
