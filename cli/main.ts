/** The command line: `portfolio-combiner run | sample`. Exit 0 written, 1 bad input, 2 bad usage. */
import { parseArgs } from 'node:util';
import { DEFAULT_SEED } from '#shared/sample/generateSample.ts';
import type { Console } from './localRun.ts';
import { optimizeCommand } from './optimizeCommand.ts';
import { runCommand } from './runCommand.ts';
import { sampleCommand } from './sampleCommand.ts';

const USAGE = `Usage:
  portfolio-combiner run      --data DIR [--config FILE] [--previous-data DIR] --out DIR
  portfolio-combiner optimize --data DIR [--config FILE] --out DIR
  portfolio-combiner sample   --out DIR [--seed N]

run       validates the strategy CSVs in DIR and the config (default DIR/portfolio.json,
          .yaml or .yml), scales, compounds and reconciles them, and writes the report
          into --out. On bad input nothing is written and the exit code is 1.
          --previous-data names the folder of the inputs sent before: every strategy
          CSV in both is compared date by date (restatements.csv).
optimize  chooses a subset of the strategies by greedy forward selection on the in-sample
          Sharpe (the config's optimizer section) and writes optimizer.json and
          optimizer.html into --out; other files there are left alone.
sample    writes the seeded sample data set (three strategies and portfolio.json).`;

class UsageError extends Error {}

export async function main(argv: readonly string[], console: Console): Promise<number> {
  const [command, ...rest] = argv;
  // Every command answers --help, whatever else is on the line.
  if (rest.includes('--help') || rest.includes('-h')) {
    console.out(USAGE);
    return 0;
  }
  try {
    if (command === 'run') {
      const { values } = parse(rest, { data: { type: 'string' }, config: { type: 'string' }, 'previous-data': { type: 'string' }, out: { type: 'string' } });
      const previousData = values['previous-data'];
      if (previousData === '') throw new UsageError('--previous-data needs a folder');
      return await runCommand({ data: required(values.data, '--data'), config: values.config, previousData, out: required(values.out, '--out') }, console);
    }
    if (command === 'optimize') {
      const { values } = parse(rest, { data: { type: 'string' }, config: { type: 'string' }, out: { type: 'string' } });
      return await optimizeCommand({ data: required(values.data, '--data'), config: values.config, out: required(values.out, '--out') }, console);
    }
    if (command === 'sample') {
      const { values } = parse(rest, { out: { type: 'string' }, seed: { type: 'string' } });
      const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
      if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be a whole number (got ${values.seed})`);
      return await sampleCommand({ out: required(values.out, '--out'), seed }, console);
    }
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      console.out(USAGE);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (!(error instanceof UsageError) && !isParseArgsError(error)) throw error;
    console.err(`error: ${(error as Error).message}`);
    console.err(USAGE);
    return 2;
  }
}

function parse<T extends Record<string, { type: 'string' }>>(args: readonly string[], options: T) {
  return parseArgs({ args: [...args], options, strict: true, allowPositionals: false });
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

function isParseArgsError(error: unknown): boolean {
  return typeof (error as { code?: unknown }).code === 'string' && String((error as { code: string }).code).startsWith('ERR_PARSE_ARGS');
}
