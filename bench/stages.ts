/**
 * `npm run bench:stages [-- --size 2000x20[+B]] [--scenarios 41] [--seed N] [--until STAGE] [--keep]`
 *
 * Each stage of the cloud pipeline alone, in its own process with its function's memory as the
 * heap limit (`--max-old-space-size`), on a generated data set (by default 2,000 strategies x 20
 * years, the size that broke the 3,008 MB functions): peak resident memory (what Lambda counts
 * against the function's memory), seconds, and whether it fit. The chart and page stages run
 * their first chunk of levels and the chunk that holds the portfolio (the heaviest). One scenario
 * runs for real; its entry is copied to make `--scenarios` of them, so write-report and notify
 * face comparison.json and the email of that many scenarios at this size (their memory depends
 * on the size of the entries, not on their figures). The bootstrap runs as the cloud runs it (1,000
 * paths x 252 days): Plan Monte Carlo, each chunk of the Map in its own process (its seconds are
 * the chunk's time through the Map, start-up included; its CPU seconds the work), Merge Monte Carlo. Stages read and write on the file system:
 * the S3 adapter reads an object into one buffer of its announced length and streams writes, so
 * it adds no copy of the data. A benchmark prints figures; it asserts nothing.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FUNCTION_MEMORY_MB, type StageFunction } from '#infra/functionMemory.ts';
import { monteCarloChunks } from '#shared/model/monteCarloChunks.ts';
import { chunkCount } from '#shared/report/reportChunks.ts';
import { parseSizes, writeDataset } from './dataset.ts';
import { BENCH_MONTE_CARLO } from './monteCarloRun.ts';

const PROJECT = fileURLToPath(new URL('..', import.meta.url));
const PROBE = fileURLToPath(new URL('./childProbe.mjs', import.meta.url));
const CHILD = fileURLToPath(new URL('./stageChild.ts', import.meta.url));

interface Measured {
  stage: string;
  fn: StageFunction;
  memoryMb: number;
  peakMib: number;
  seconds: number;
  /** User + system CPU seconds of the child (NaN when it was killed before its probe wrote). */
  cpuSeconds: number;
  ok: boolean;
  output: string;
}

async function runStage(root: string, fn: StageFunction, stage: string, argument: number): Promise<Measured> {
  const memoryMb = FUNCTION_MEMORY_MB[fn];
  const probeFile = join(root, `probe-${stage}-${argument}.json`);
  const started = performance.now();
  let stdout = '';
  let stderr = '';
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${memoryMb}`, '--import', PROBE, '--import', 'tsx', CHILD, root, fn, String(argument)], {
      cwd: PROJECT,
      env: { ...process.env, PC_BENCH_PROBE: probeFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (exit) => resolve(exit ?? -1));
  });
  const seconds = (performance.now() - started) / 1000;
  let peakMib = Number.NaN;
  let cpuSeconds = Number.NaN;
  try {
    const probe = JSON.parse(readFileSync(probeFile, 'utf8')) as { maxRssKiB: number; userSeconds: number; systemSeconds: number };
    peakMib = probe.maxRssKiB / 1024;
    cpuSeconds = probe.userSeconds + probe.systemSeconds;
  } catch {
    // killed before the probe could write: the heap limit was hit
  }
  const ok = code === 0 && peakMib <= memoryMb;
  return { stage, fn, memoryMb, peakMib, seconds, cpuSeconds, ok, output: code === 0 ? stdout.trim().slice(0, 200) : `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '2000x20' },
      scenarios: { type: 'string', default: '41' },
      seed: { type: 'string', default: '42' },
      keep: { type: 'boolean', default: false },
      /** Stop after this stage (the ones before it run, as it reads what they wrote). */
      until: { type: 'string' },
    },
  });
  const [size] = parseSizes(values.size);
  if (size === undefined) throw new Error('--size wants one KxY pair, like 2000x20 or 50x10+B');
  const { strategies, years } = size;
  const scenarioCount = Number(values.scenarios);
  const root = mkdtempSync(join(tmpdir(), 'pc-stages-'));
  const out = (line = ''): void => void process.stdout.write(`${line}\n`);
  try {
    out(`Stages at ${values.size} (strategies x years), ${scenarioCount} scenarios; data and work in ${root}${values.keep ? ' (kept)' : ''}`);
    mkdirSync(join(root, 'data'));
    const dataset = await writeDataset(join(root, 'data'), size, Number(values.seed));
    const configPath = join(root, 'data', 'portfolio.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    config['scenarios'] = Array.from({ length: scenarioCount }, (_, i) => ({ name: `Scenario ${i + 1}`, overrides: { allocation: { method: 'equal' }, rebalance: { frequency: 'monthly', costBps: i } } }));
    config['monteCarlo'] = BENCH_MONTE_CARLO;
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    out(`Data: ${dataset.rows.toLocaleString('en-US')} rows, ${(dataset.csvBytes / 1024 ** 2).toFixed(0)} MiB of CSV (${dataset.generateSeconds.toFixed(0)} s to generate)`);
    const chunks = chunkCount({ strategies: dataset.strategies, accounts: dataset.accounts } as never);
    // The chunks Plan Monte Carlo lists for these paths (it cuts them the same way).
    const bootstrapChunks = monteCarloChunks(BENCH_MONTE_CARLO.paths);
    const plan: [StageFunction, string, number][] = [
      ['load-validate', 'load-validate', 0],
      ['align-scale', 'align-scale', 0],
      ['compound-reconcile', 'compound-reconcile', 0],
      ['run-scenario', 'run-scenario', 0],
      ['plan-monte-carlo', 'plan-monte-carlo', 0],
      ...bootstrapChunks.map(({ chunk }): [StageFunction, string, number] => ['run-bootstrap-chunk', `run-bootstrap-chunk ${chunk}`, chunk]),
      ['merge-monte-carlo', 'merge-monte-carlo', bootstrapChunks.length],
      ['write-report', 'write-report', 0],
      ['render-charts', 'render-charts (first chunk)', 0],
      ['render-charts', 'render-charts (portfolio chunk)', chunks - 1],
      ['write-pages', 'write-pages (first chunk)', 0],
      ['write-pages', 'write-pages (portfolio chunk)', chunks - 1],
      ['write-index', 'write-index', 0],
      ['seal-report', 'seal-report', 0],
      ['publish-latest', 'publish-latest', 0],
      ['notify', 'notify', 0],
    ];
    const measured: Measured[] = [];
    for (const [fn, stage, argument] of plan) {
      if (fn === 'write-report' && scenarioCount > 1) {
        // The other scenarios' entries: copies of the first, as large as theirs would be.
        const folder = join(root, 'work', 'bench', 'scenarios');
        for (let index = 1; index < scenarioCount; index += 1) {
          copyFileSync(join(folder, '0.json'), join(folder, `${index}.json`));
          copyFileSync(join(folder, '0.equity.bin'), join(folder, `${index}.equity.bin`));
        }
      }
      const result = await runStage(root, fn, stage, argument);
      measured.push({ ...result, stage });
      if (fn === 'align-scale') writeFileSync(join(root, 'work', 'bench', 'bench-align.json'), result.output.split('\n').at(-1) ?? '{}');
      out(`  ${stage.padEnd(32)} ${result.ok ? 'fits' : 'DOES NOT FIT'}: peak ${result.peakMib.toFixed(0)} MiB of ${result.memoryMb} MB, ${result.seconds.toFixed(1)} s (${result.cpuSeconds.toFixed(1)} CPU s)`);
      if (!result.ok) out(`    ${result.output}`);
      if (stage === values.until) break;
    }
    out();
    out('stage                             function memory   peak RSS   headroom   seconds     CPU s');
    for (const row of measured) {
      out(
        `${row.stage.padEnd(33)} ${`${row.memoryMb} MB`.padStart(15)} ${`${row.peakMib.toFixed(0)} MiB`.padStart(10)} ${`${(100 - (row.peakMib / row.memoryMb) * 100).toFixed(0)}%`.padStart(10)} ${row.seconds.toFixed(1).padStart(9)} ${row.cpuSeconds.toFixed(1).padStart(9)}`,
      );
    }
    mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
    writeFileSync(fileURLToPath(new URL('./results/stages.json', import.meta.url)), `${JSON.stringify({ size: values.size, strategies, years, scenarios: scenarioCount, monteCarlo: BENCH_MONTE_CARLO, measured }, null, 2)}\n`);
  } finally {
    if (!values.keep) rmSync(root, { recursive: true, force: true });
  }
}

await main();
