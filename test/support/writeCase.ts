/**
 * Small cases for the input-error tests: a scratch folder with `data/` (the CSVs), a config
 * and an output path, run through the command line as a user would. Every run takes a
 * snapshot of the whole scratch folder before and after, so a test can say "nothing was
 * written" (no output folder, no staging left behind, an existing report byte-identical).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect } from 'vitest';
import { runCli, scratchFolder, type CliResult } from './runCli.ts';

export const HEADER = 'Date,Return,Margin_Used,Notional_Value';

/** CSV text: one string per physical line, `\n` line ends, a final newline. */
export function csv(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** A track record that is fine: three dates, four columns. */
export const GOOD_CSV = csv(HEADER, '2024-01-02,0.01,1000,10000', '2024-01-03,-0.005,1000,10000', '2024-01-04,0.002,2000,20000');

export type Json = Record<string, unknown>;

/** A strategy of the default account `Main`, with every required key; `overrides` replace keys. */
export function strategy(name: string, overrides: Json = {}): Json {
  return { name, account: 'Main', marginPerUnit: 1000, minPosition: 1, increment: 1, allocatedCapital: 100000, maxPositionScale: 1, ...overrides };
}

/** A config with the account `Main` (1,000,000) and the given strategies (names or objects). */
export function portfolio(strategies: readonly (string | Json)[], extra: Json = {}): Json {
  return {
    accounts: [{ name: 'Main', startingCapital: 1000000 }],
    strategies: strategies.map((item) => (typeof item === 'string' ? strategy(item) : item)),
    ...extra,
  };
}

export interface CaseOptions {
  /** File name of the config (`portfolio.json`, `portfolio.yaml`, ...). */
  configName?: string;
  /** Put the config inside the data folder and run without `--config` (the default lookup). */
  configInData?: boolean;
  /** Files already in the output folder before the run (the folder is then created). */
  existingOut?: Record<string, string>;
}

export interface Case {
  root: string;
  data: string;
  /** The `--config` argument, or undefined when the run relies on the default lookup. */
  config: string | undefined;
  out: string;
}

/**
 * Writes `files` into `data/` (names may hold a sub-folder: `old/Alpha.csv`) and the config:
 * an object is written as JSON, a string as it is, `null` writes no config at all.
 */
export function writeCase(files: Record<string, string | Uint8Array>, config: Json | string | null, options: CaseOptions = {}): Case {
  const root = scratchFolder('input');
  const data = join(root, 'data');
  mkdirSync(data);
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(dirname(join(data, name)), { recursive: true });
    writeFileSync(join(data, name), body);
  }
  const configName = options.configName ?? 'portfolio.json';
  const configPath = join(options.configInData === true ? data : root, configName);
  if (config !== null) writeFileSync(configPath, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  const out = join(root, 'report');
  if (options.existingOut !== undefined) {
    mkdirSync(out);
    for (const [name, body] of Object.entries(options.existingOut)) writeFileSync(join(out, name), body);
  }
  return { root, data, config: options.configInData === true ? undefined : configPath, out };
}

/** Every file under `folder` (relative path -> bytes as hex) and every folder (-> `<dir>`). */
export type Snapshot = Record<string, string>;

export function snapshot(folder: string): Snapshot {
  const found: Snapshot = {};
  const visit = (path: string): void => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      const key = relative(folder, full);
      if (statSync(full).isDirectory()) {
        found[key] = '<dir>';
        visit(full);
      } else {
        found[key] = readFileSync(full).toString('hex');
      }
    }
  };
  visit(folder);
  return found;
}

export interface Run extends CliResult {
  case: Case;
  before: Snapshot;
  after: Snapshot;
}

/** `portfolio-combiner run --data DATA [--config FILE] --out OUT`, with snapshots around it. */
export async function runCase(c: Case, extraArgs: readonly string[] = []): Promise<Run> {
  const before = snapshot(c.root);
  const args = ['run', '--data', c.data, ...(c.config === undefined ? [] : ['--config', c.config]), '--out', c.out, ...extraArgs];
  const result = await runCli(args);
  return { ...result, case: c, before, after: snapshot(c.root) };
}

/** Writes the case and runs it. */
export async function run(files: Record<string, string | Uint8Array>, config: Json | string | null, options: CaseOptions = {}): Promise<Run> {
  return runCase(writeCase(files, config, options));
}

export interface ExpectedProblem {
  file: string;
  /** A number: `line N` must be named; null: no line may be named; undefined: not checked. */
  line?: number | null;
  /** The canonical column (`Return`) or the config key (`strategies[1] (Beta).marginPerUnit`); a list: any of them. */
  column?: string | readonly string[];
  /** Other text the line must hold (a value, an account name). */
  mentions?: readonly string[];
  /** What the message must say, in some words (`/empty/i`). */
  says?: RegExp;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `Return` as a name of its own: not the start of `Return_%` nor the end of `Daily_Return`. */
function namesColumn(text: string, column: string): boolean {
  return new RegExp(`(?<![\\w%])${escape(column)}(?![\\w%])`).test(text);
}

export function describesProblem(text: string, expected: ExpectedProblem): boolean {
  if (!text.includes(expected.file)) return false;
  if (expected.line === null && /\bline \d+/.test(text)) return false;
  if (typeof expected.line === 'number' && !new RegExp(`\\bline ${expected.line}(?!\\d)`).test(text)) return false;
  const columns = typeof expected.column === 'string' ? [expected.column] : expected.column;
  if (columns !== undefined && !columns.some((column) => namesColumn(text, column))) return false;
  if (expected.says !== undefined && !expected.says.test(text)) return false;
  return (expected.mentions ?? []).every((mention) => text.includes(mention));
}

/** The stderr lines that report `expected`. */
export function linesReporting(run: CliResult, expected: ExpectedProblem): string[] {
  return run.stderr.filter((line) => describesProblem(line, expected));
}

/** Exit 1 and nothing written: the scratch folder (output folder included) is exactly as before. */
export function expectNothingWritten(run: Run): void {
  expect(run.exitCode, `exit code; stderr:\n${run.stderr.join('\n')}`).toBe(1);
  expect(run.after, 'the scratch folder after the run (output folder, staging, data)').toEqual(run.before);
}

/** Exit 1, nothing written, and for each expected problem a stderr line naming it. */
export function expectRejected(run: Run, ...problems: ExpectedProblem[]): void {
  expectNothingWritten(run);
  for (const problem of problems) {
    const wanted = { ...problem, says: problem.says?.source };
    expect(linesReporting(run, problem), `a stderr line for ${JSON.stringify(wanted)} in:\n${run.stderr.join('\n')}`).not.toEqual([]);
  }
}

/** Exit 0 with the report written. */
export function expectWritten(run: Run): void {
  expect(run.exitCode, `exit code; stderr:\n${run.stderr.join('\n')}`).toBe(0);
  expect(existsSync(join(run.case.out, 'summary.json'))).toBe(true);
}

export interface Warning {
  kind: string;
  file: string;
  line: number | null;
  column: string | null;
  message: string;
}

export interface Summary {
  warnings: Warning[];
  inputs: { file: string; sha256: string; rows: number }[];
  config: Json;
  checks: Json;
}

export function readSummary(run: Run): Summary {
  return JSON.parse(readFileSync(join(run.case.out, 'summary.json'), 'utf8')) as Summary;
}

export function warningsOf(run: Run, kind: string): Warning[] {
  return readSummary(run).warnings.filter((warning) => warning.kind === kind);
}

/** A report CSV as its header and rows of cells (report cells here hold no commas). */
export function readReportCsv(run: Run, file: string): { header: string[]; rows: string[][] } {
  const [headerLine = '', ...lines] = readFileSync(join(run.case.out, file), 'utf8').replace(/\n$/, '').split('\n');
  return { header: headerLine.split(','), rows: lines.map((line) => line.split(',')) };
}

/** One column of a report CSV by its header. */
export function reportColumn(run: Run, file: string, header: string): string[] {
  const table = readReportCsv(run, file);
  const index = table.header.indexOf(header);
  expect(index, `column ${header} in ${file}: ${table.header.join(',')}`).toBeGreaterThanOrEqual(0);
  return table.rows.map((row) => row[index] ?? '');
}

/** The dates, returns, margins and notionals a strategy was read with, from the master CSV. */
export function readBack(run: Run, name: string): { dates: string[]; returns: number[]; margins: number[]; notionals: number[] } {
  const master = '1_master_aligned_data.csv';
  return {
    dates: reportColumn(run, master, 'Date'),
    returns: reportColumn(run, master, `${name}_Return_%`).map(Number),
    margins: reportColumn(run, master, `${name}_Margin_Used`).map(Number),
    notionals: reportColumn(run, master, `${name}_Notional_Value`).map(Number),
  };
}
