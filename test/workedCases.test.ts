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

describe('worked cases of SPEC parts A and B', () => {
  it.each(validCases)('%s matches the expected files', async (name) => {
    const caseFolder = join(CASES_FOLDER, name);
    const out = scratchFolder(name);
    const result = await runCli(['run', '--data', join(caseFolder, 'data'), '--config', join(caseFolder, 'portfolio.json'), '--out', out]);
    expect(result.stderr).toEqual([]);
    expect(result.exitCode).toBe(0);
    const differences: string[] = [];
    for (const file of readdirSync(join(caseFolder, 'expected'))) {
      const expected = readFileSync(join(caseFolder, 'expected', file), 'utf8');
      const actual = readFileSync(join(out, file), 'utf8');
      if (file.endsWith('.csv')) differences.push(...compareCsv(file, actual, expected));
      else compareJson(file, JSON.parse(actual), JSON.parse(expected), differences);
    }
    expect(differences).toEqual([]);
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
