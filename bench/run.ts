/**
 * `npm run bench [-- --sizes 3x10,50x10,500x20] [--optimize 50x10|none] [--monte-carlo 50x10+B|none] [--repeat N] [--seed N] [--profile] [--keep]`
 *
 * For each size K x Y (K strategies, Y years of daily rows) it generates a data set with the
 * project's seeded sample generator into a temp folder and prints:
 * - parse:      seconds to read the CSVs from disk and `readTrackRecord` them;
 * - arithmetic: seconds for align, scale and `computeResults` on in-memory data (no I/O);
 * - write:      seconds to stream the three CSVs and write summary.json with the report writers;
 * - run:        seconds of the real command in a child process (`node bin/portfolio-combiner.js
 *               run`), its peak RSS, and data rows and output cells per second of it;
 * - bytes read (CSVs + config) and written (report files).
 * Then the optimizer (`--optimize`, 50x10 by default): the `optimize` command's wall time, peak RSS,
 * the candidate sets it ran, and the Map children per step the cloud would start.
 * Then the bootstrap (`--monte-carlo`, 50x10+B by default: risk parity monthly, every rule): 1,000
 * paths x 252 days as the Monte Carlo stage of a `run`, its seconds, paths per second and peak
 * RSS, beside a whole run of the same data without it, as a ratio (target: at most 1).
 * With several repeats a figure is the median. The figures also go to bench/results/latest.json.
 * `--profile` also runs the largest size under `node --cpu-prof` and prints where the time goes.
 * A benchmark prints figures; it asserts nothing.
 */
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseConfigText } from '#shared/config/parseConfigText.ts';
import { validateConfig } from '#shared/config/validateConfig.ts';
import type { Validation } from '#shared/model/validation.ts';
import { InputErrors } from '#shared/problems.ts';
import { parseSizes, sizeLabel, writeDataset, type BenchSize } from './dataset.ts';
import { arithmeticPhase, parsePhase, rawWriteFloor, readFloor, writeFloor, writePhase } from './phases.ts';
import { profileLines, summarizeProfile, type ProfileSummary } from './profile.ts';
import { chartCost, chartCostLine } from './chartCost.ts';
import { BENCH_MONTE_CARLO, monteCarloRun, type MonteCarloFigures } from './monteCarloRun.ts';
import { optimizeRun, type OptimizeFigures } from './optimizeRun.ts';
import { startupCost, wholeRun, type Startup, type WholeRun } from './wholeRun.ts';

const DEFAULT_SIZES = '3x10,50x10,500x20,500x20+B';
const DEFAULT_OPTIMIZE = '50x10';
const DEFAULT_MONTE_CARLO = '50x10+B';
const USAGE = `Usage: npm run bench [-- options]
  --sizes KxY,...  strategies x years to measure (default ${DEFAULT_SIZES});
                   +B turns part B on: risk parity, look-back 63, monthly rebalancing, every rule
  --optimize KxY,... the optimizer over these sizes, or none (default ${DEFAULT_OPTIMIZE})
  --monte-carlo KxY,... the bootstrap (1,000 paths x 252 days) over these sizes beside a whole run,
                   or none (default ${DEFAULT_MONTE_CARLO})
  --repeat N       measurements per size, the median is kept (default 3 below 1M rows, else 1)
  --seed N         seed of the generated data (default 42)
  --profile        also run the largest size under node --cpu-prof and print where the time goes
  --keep           keep the temp folder (data, reports, profile) instead of removing it`;
const RESULTS_FILE = fileURLToPath(new URL('./results/latest.json', import.meta.url));
/** Below this many input rows a size is measured three times and the median kept. */
const SMALL_ROWS = 1_000_000;

interface SizeFigures {
  size: string;
  strategies: number;
  years: number;
  accounts: number;
  rows: number;
  dates: number;
  outputCells: number;
  inputBytes: { csv: number; config: number };
  generateSeconds: number;
  repeats: number;
  parse: { seconds: number; cpuSeconds: number; samples: number[]; readSeconds: number; bytesRead: number; rowsPerSecond: number };
  arithmetic: { seconds: number; samples: number[]; parts: Record<string, number> };
  write: { seconds: number; cpuSeconds: number; samples: number[]; parts: Record<string, number>; bytesWritten: number; cellsPerSecond: number };
  /**
   * Issue 14's I/O floor: csv-parse of the inputs (records of strings) plus `String(x)` of every
   * output cell joined into CSV text and streamed to files; `raw` is below any parser or
   * formatter (readFile of the CSVs, streaming as many ready bytes as the report has).
   */
  ioFloor: {
    seconds: number;
    readSeconds: number;
    writeSeconds: number;
    /** The CPU seconds of the two floors: the parse/write ratios in CPU, which other work on the machine hardly moves. */
    readCpuSeconds: number;
    writeCpuSeconds: number;
    raw: { seconds: number; readSeconds: number; writeSeconds: number };
  };
  run: WholeRun & { samples: number[]; rowsPerSecond: number; cellsPerSecond: number; bytesRead: number };
  profile?: ProfileSummary;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      sizes: { type: 'string', default: DEFAULT_SIZES },
      optimize: { type: 'string', default: DEFAULT_OPTIMIZE },
      'monte-carlo': { type: 'string', default: DEFAULT_MONTE_CARLO },
      repeat: { type: 'string' },
      seed: { type: 'string', default: '42' },
      profile: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sizes = parseSizes(values.sizes);
  const optimizeSizes = values.optimize === 'none' ? [] : parseSizes(values.optimize);
  const monteCarloSizes = values['monte-carlo'] === 'none' ? [] : parseSizes(values['monte-carlo']);
  const seed = wholeNumber(values.seed, '--seed');
  const repeat = values.repeat === undefined ? undefined : Math.max(1, wholeNumber(values.repeat, '--repeat'));
  const largest = sizes.reduce((a, b) => (b.strategies * b.years > a.strategies * a.years ? b : a));

  const root = await mkdtemp(join(tmpdir(), 'pc-bench-'));
  const cleanUp = (): void => {
    if (!values.keep) rmSync(root, { recursive: true, force: true });
  };
  const onSignal = (): void => {
    cleanUp();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const out = (line = ''): void => void process.stdout.write(`${line}\n`);
  out(`Portfolio Combiner benchmark: ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'}), ${gb(totalmem())} RAM, Node ${process.version}`);
  out(`Temp folder ${root}${values.keep ? ' (kept)' : ' (removed at the end)'}`);
  const loadBefore = loadavg()[0] ?? 0;
  if (loadBefore > cpus().length / 2) {
    out(`Note: load average ${loadBefore.toFixed(1)} on ${cpus().length} CPU(s): other work is running, wall times will be high (CPU seconds are less affected)`);
  }
  try {
    const startup = await startupCost({ scratch: root });
    out(`Startup of the command alone (portfolio-combiner --help): ${secs(startup.seconds)} s, ${mb(startup.maxRssBytes)} RSS`);
    const figures: SizeFigures[] = [];
    for (const size of sizes) {
      out();
      const result = await measureSize(size, root, seed, repeat, { profile: values.profile && size === largest, keep: values.keep }, out);
      figures.push(result);
    }
    out();
    for (const line of table(figures, startup)) out(line);
    out();
    for (const line of ratioTable(figures, startup)) out(line);
    const strategyChart = chartCost(9);
    out(chartCostLine(strategyChart));
    const optimizer: (OptimizeFigures & { size: string })[] = [];
    for (const size of optimizeSizes) {
      out();
      optimizer.push(await measureOptimizer(size, root, seed, out));
    }
    const monteCarlo: (MonteCarloFigures & { size: string })[] = [];
    for (const size of monteCarloSizes) {
      out();
      monteCarlo.push(await measureMonteCarlo(size, root, seed, out));
    }
    await mkdir(join(RESULTS_FILE, '..'), { recursive: true });
    const load = { before: loadBefore, after: loadavg()[0] ?? 0 };
    await writeFile(RESULTS_FILE, `${JSON.stringify({ ...(resultsJson(figures, startup, seed, load) as object), optimizer, monteCarlo, strategyChart }, null, 2)}\n`);
    out();
    out(`Figures written to ${RESULTS_FILE}`);
  } finally {
    cleanUp();
  }
}

async function measureSize(
  size: BenchSize,
  root: string,
  seed: number,
  repeatOption: number | undefined,
  options: { profile: boolean; keep: boolean },
  out: (line?: string) => void,
): Promise<SizeFigures> {
  const label = sizeLabel(size);
  const folder = join(root, label);
  const dataFolder = join(folder, 'data');
  await mkdir(dataFolder, { recursive: true });
  out(`== ${label}: ${size.strategies} strategies x ${size.years} years`);
  const dataset = await writeDataset(dataFolder, size, seed);
  out(
    `   data: ${count(dataset.rows)} rows in ${dataset.strategies.length} CSVs over ${dataset.accounts.length} account(s), ` +
      `${mb(dataset.csvBytes)}; generated in ${secs(dataset.generateSeconds)} s`,
  );
  const configText = await readFile(join(dataFolder, 'portfolio.json'), 'utf8');
  const { config, errors: configErrors, warnings: configWarnings } = validateConfig(parseConfigText(configText, 'portfolio.json'), 'portfolio.json');
  if (config === null) throw new InputErrors(configErrors);
  const repeats = repeatOption ?? (dataset.rows < SMALL_ROWS ? 3 : 1);

  // The whole run first, in a fresh child process.
  const runs: WholeRun[] = [];
  for (let r = 0; r < repeats; r += 1) {
    const runOut = join(folder, 'run-out');
    await rm(runOut, { recursive: true, force: true });
    runs.push(await wholeRun(dataFolder, runOut, { scratch: root }));
  }
  const run = median(runs, (r) => r.seconds);
  out(
    `   run:   ${secs(run.seconds)} s wall (user ${secs(run.userSeconds)} s, sys ${secs(run.systemSeconds)} s), max RSS ${mb(run.maxRssBytes)} ` +
      `[${run.maxRssSource}]; report ${mb(run.bytesWritten)}` +
      (run.processReadBytes === null ? '' : `; process read ${mb(run.processReadBytes)}, wrote ${mb(run.processWriteBytes ?? 0)}`),
  );
  if (Object.keys(run.stages).length > 0) {
    const peak = (stage: string): string => {
      const bytes = run.stagePeakRssBytes[stage];
      const cpu = run.stageCpuSeconds[stage];
      return bytes === undefined || bytes === 0 ? '' : ` (RSS up to ${mb(bytes)}, CPU ${secs(cpu ?? 0)} s)`;
    };
    out(`          stages: ${Object.entries(run.stages).map(([stage, s]) => `${stage} ${secs(s)} s${peak(stage)}`).join(', ')}`);
  }

  let profileSummary: ProfileSummary | undefined;
  if (options.profile) {
    const profileFolder = join(folder, 'cpu-profile');
    const runOut = join(folder, 'profile-out');
    await mkdir(profileFolder, { recursive: true });
    const profiled = await wholeRun(dataFolder, runOut, { scratch: root, nodeFlags: ['--cpu-prof', '--cpu-prof-dir', profileFolder] });
    await rm(runOut, { recursive: true, force: true });
    const [file] = (await readdir(profileFolder)).filter((name) => name.endsWith('.cpuprofile'));
    if (file !== undefined) {
      profileSummary = await summarizeProfile(join(profileFolder, file), 25);
      out(`   profiled run: ${secs(profiled.seconds)} s wall under --cpu-prof`);
      for (const line of profileLines(profileSummary)) out(`   ${line}`);
    }
  }

  // The phases, one at a time, in this process.
  const parseSamples: number[] = [];
  const readSamples: number[] = [];
  const readFloorSamples: number[] = [];
  const writeFloorSamples: number[] = [];
  const rawReadSamples: number[] = [];
  const rawWriteSamples: number[] = [];
  const cpu = { parse: [] as number[], readFloor: [] as number[], write: [] as number[], writeFloor: [] as number[] };
  const arithmeticSamples: number[] = [];
  const writeSamples: number[] = [];
  const arithmeticParts: Record<string, number>[] = [];
  const writeParts: Record<string, number>[] = [];
  let bytesRead = 0;
  let bytesWritten = 0;
  let cells = 0;
  let dates = 0;
  for (let r = 0; r < repeats; r += 1) {
    const parsed = await parsePhase(dataFolder, config);
    parseSamples.push(parsed.seconds);
    readSamples.push(parsed.readSeconds);
    bytesRead = parsed.bytesRead;
    const floorRead = await readFloor(dataFolder, config);
    readFloorSamples.push(floorRead.seconds);
    cpu.parse.push(parsed.cpuSeconds);
    cpu.readFloor.push(floorRead.cpuSeconds);
    rawReadSamples.push(floorRead.rawSeconds);
    const arithmetic = arithmeticPhase(parsed.records, config);
    arithmeticSamples.push(arithmetic.seconds);
    arithmeticParts.push(arithmetic.parts);
    dates = arithmetic.dates;
    const validation: Validation = {
      configFile: 'portfolio.json',
      config,
      warnings: [...configWarnings, ...parsed.warnings],
      inputs: parsed.records.map(({ file, sha256, rows }) => ({ file, sha256, rows })),
    };
    const writeOut = join(folder, 'write-out');
    await rm(writeOut, { recursive: true, force: true });
    await mkdir(writeOut, { recursive: true });
    const written = await writePhase(writeOut, validation, arithmetic);
    writeSamples.push(written.seconds);
    cpu.write.push(written.cpuSeconds);
    writeParts.push(written.parts);
    bytesWritten = written.bytesWritten;
    cells = written.cells;
    await rm(writeOut, { recursive: true, force: true });
    await mkdir(writeOut, { recursive: true });
    const floorWrite = await writeFloor(writeOut, written.dates, written.files);
    writeFloorSamples.push(floorWrite.seconds);
    cpu.writeFloor.push(floorWrite.cpuSeconds);
    await rm(writeOut, { recursive: true, force: true });
    await mkdir(writeOut, { recursive: true });
    rawWriteSamples.push(await rawWriteFloor(writeOut, written.bytesWritten));
    await rm(writeOut, { recursive: true, force: true });
  }
  const parseSeconds = medianOf(parseSamples);
  const arithmeticSeconds = medianOf(arithmeticSamples);
  const writeSeconds = medianOf(writeSamples);
  const raw = { readSeconds: medianOf(rawReadSamples), writeSeconds: medianOf(rawWriteSamples), seconds: 0 };
  raw.seconds = raw.readSeconds + raw.writeSeconds;
  const ioFloor = {
    readSeconds: medianOf(readFloorSamples),
    writeSeconds: medianOf(writeFloorSamples),
    seconds: 0,
    readCpuSeconds: medianOf(cpu.readFloor),
    writeCpuSeconds: medianOf(cpu.writeFloor),
    raw,
  };
  ioFloor.seconds = ioFloor.readSeconds + ioFloor.writeSeconds;
  const arithmeticMedian = median(arithmeticParts, (parts) => Object.values(parts).reduce((a, b) => a + b, 0));
  const writeMedian = median(writeParts, (parts) => Object.values(parts).reduce((a, b) => a + b, 0));
  out(`   parse: ${secs(parseSeconds)} s (of which readFile ${secs(medianOf(readSamples))}; ${rate(dataset.rows / parseSeconds)} rows/s, ${mb(bytesRead)} read)`);
  out(`   arith: ${secs(arithmeticSeconds)} s (${parts(arithmeticMedian)})`);
  out(`   write: ${secs(writeSeconds)} s (${parts(writeMedian)}; ${rate(cells / writeSeconds)} cells/s, ${mb(bytesWritten)} written)`);
  out(`   I/O floor: ${secs(ioFloor.seconds)} s (csv-parse of the CSVs ${secs(ioFloor.readSeconds)} + String(x) of ${count(cells)} cells as CSV, streamed ${secs(ioFloor.writeSeconds)})`);
  out(`   raw I/O:   ${secs(raw.seconds)} s (readFile of the CSVs ${secs(raw.readSeconds)} + streaming ${mb(bytesWritten)} of ready bytes ${secs(raw.writeSeconds)}; no parser or formatter comes near it)`);

  if (!options.keep) await rm(folder, { recursive: true, force: true });
  const inputBytes = dataset.csvBytes + dataset.configBytes;
  return {
    size: sizeLabel(size),
    strategies: size.strategies,
    years: size.years,
    accounts: dataset.accounts.length,
    rows: dataset.rows,
    dates,
    outputCells: cells,
    inputBytes: { csv: dataset.csvBytes, config: dataset.configBytes },
    generateSeconds: dataset.generateSeconds,
    repeats,
    parse: { seconds: parseSeconds, cpuSeconds: medianOf(cpu.parse), samples: parseSamples, readSeconds: medianOf(readSamples), bytesRead, rowsPerSecond: dataset.rows / parseSeconds },
    arithmetic: { seconds: arithmeticSeconds, samples: arithmeticSamples, parts: arithmeticMedian },
    write: { seconds: writeSeconds, cpuSeconds: medianOf(cpu.write), samples: writeSamples, parts: writeMedian, bytesWritten, cellsPerSecond: cells / writeSeconds },
    ioFloor,
    run: {
      ...run,
      samples: runs.map((r) => r.seconds),
      rowsPerSecond: dataset.rows / run.seconds,
      cellsPerSecond: cells / run.seconds,
      bytesRead: inputBytes,
    },
    ...(profileSummary === undefined ? {} : { profile: profileSummary }),
  };
}

async function measureOptimizer(size: BenchSize, root: string, seed: number, out: (line?: string) => void): Promise<OptimizeFigures & { size: string }> {
  const label = sizeLabel(size);
  const folder = join(root, `optimize-${label}`);
  const dataFolder = join(folder, 'data');
  await mkdir(dataFolder, { recursive: true });
  out(`== optimize ${label}: ${size.strategies} strategies x ${size.years} years`);
  const dataset = await writeDataset(dataFolder, size, seed);
  const figures = await optimizeRun(dataFolder, join(folder, 'out'), { scratch: root });
  const { run } = figures;
  out(`   data: ${count(dataset.rows)} rows; optimizer.inSampleEnd ${figures.inSampleEnd} (70 % of the calendar)`);
  out(`   run:  ${secs(run.seconds)} s wall (user ${secs(run.userSeconds)} s, sys ${secs(run.systemSeconds)} s), max RSS ${mb(run.maxRssBytes)} [${run.maxRssSource}]`);
  out(`         stages: ${Object.entries(run.stages).map(([stage, s]) => `${stage} ${s.toFixed(1)} s`).join(', ')}`);
  out(
    `   search: ${figures.evaluated} candidate sets (day loops) in ${figures.steps} steps, ${(figures.secondsPerSet * 1000).toFixed(1)} ms each; ` +
      `${figures.chosen} chosen, stopped: ${figures.stopReason}; Sharpe in sample ${fixed(figures.sharpe.inSample)}, out of sample ${fixed(figures.sharpe.outOfSample)}`,
  );
  out(`   cloud:  Map children per step ${figures.childrenPerStep.join(', ')}`);
  out(`           ${figures.inlineMaps} inline Map(s), ${figures.distributedMaps} Distributed Map(s) at the default limit of 40 inline items`);
  await rm(folder, { recursive: true, force: true });
  return { size: label, ...figures };
}

async function measureMonteCarlo(size: BenchSize, root: string, seed: number, out: (line?: string) => void): Promise<MonteCarloFigures & { size: string }> {
  const label = sizeLabel(size);
  const folder = join(root, `monte-carlo-${label}`);
  const dataFolder = join(folder, 'data');
  await mkdir(dataFolder, { recursive: true });
  out(`== monte carlo ${label}: ${size.strategies} strategies x ${size.years} years, ${count(BENCH_MONTE_CARLO.paths)} paths x ${BENCH_MONTE_CARLO.horizonDays} days`);
  const dataset = await writeDataset(dataFolder, size, seed);
  const figures = await monteCarloRun(dataFolder, join(folder, 'out'), { scratch: root });
  const { plainRun, withBootstrap } = figures;
  out(`   data: ${count(dataset.rows)} rows`);
  out(`   whole run without it: ${secs(plainRun.seconds)} s wall (user ${secs(plainRun.userSeconds)} s), max RSS ${mb(plainRun.maxRssBytes)}`);
  out(
    `   with it: ${secs(withBootstrap.seconds)} s wall, max RSS ${mb(withBootstrap.maxRssBytes)}; stage Monte Carlo ${secs(figures.stageSeconds)} s, ` +
      `${figures.pathsPerSecond.toFixed(0)} paths/s, stage peak RSS ${figures.stagePeakRssBytes === null ? 'n/a' : mb(figures.stagePeakRssBytes)}`,
  );
  out(`   ratio: ${count(BENCH_MONTE_CARLO.paths)} paths / whole run = ${figures.ratioToWholeRun.toFixed(2)} (target <= 1)`);
  await rm(folder, { recursive: true, force: true });
  return { size: label, ...figures };
}

function fixed(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(2);
}

function table(figures: readonly SizeFigures[], startup: Startup): string[] {
  const header = ['size', 'rows', 'dates', 'out cells', 'parse s', 'arith s', 'write s', 'I/O floor s', 'run s', 'run cpu s', 'rows/s', 'cells/s', 'max RSS', 'read', 'written'];
  const rows = figures.map((f) => [
    f.size,
    count(f.rows),
    count(f.dates),
    count(f.outputCells),
    secs(f.parse.seconds),
    secs(f.arithmetic.seconds),
    secs(f.write.seconds),
    secs(f.ioFloor.seconds),
    secs(f.run.seconds),
    secs(f.run.userSeconds + f.run.systemSeconds),
    rate(f.run.rowsPerSecond),
    rate(f.run.cellsPerSecond),
    mb(f.run.maxRssBytes),
    mb(f.run.bytesRead),
    mb(f.run.bytesWritten),
  ]);
  return [
    ...aligned(header, rows),
    `run = the whole command in a child process, wall clock (startup alone ${secs(startup.seconds)} s); run cpu = its user + system CPU;`,
    'rows/s = input data rows per run second, cells/s = output CSV cells per run second;',
    'I/O floor = csv-parse of the CSVs (records of strings) + String(x) of every output cell joined as CSV and streamed (issue 14);',
    'read = CSVs + portfolio.json, written = the report files; MB = 10^6 bytes.',
  ];
}

/** Issue 14's figures, each a ratio of two things measured in this run (its targets: run <= 2x the I/O floor, parse and write <= 1.5x theirs, RSS <= 5x the input). */
function ratioTable(figures: readonly SizeFigures[], startup: Startup): string[] {
  const header = [
    'size',
    'run/IO floor',
    'run/raw I/O',
    'parse/read floor',
    'write/write floor',
    'in CPU s',
    'parse rows/s',
    'write cells/s',
    'charts % of run',
    'ms/chart',
    'CPU ms/chart',
    'charts CPU use',
    'charts',
    'startup s',
    'startup % of run',
    'RSS/input',
    'CPU use',
  ];
  const rows = figures.map((f) => {
    const chartSeconds = f.run.stages['Render charts'] ?? Number.NaN;
    const chartCpuSeconds = f.run.stageCpuSeconds['Render charts'] ?? Number.NaN;
    const inputBytes = f.inputBytes.csv + f.inputBytes.config;
    return [
      f.size,
      ratio(f.run.seconds / f.ioFloor.seconds),
      ratio(f.run.seconds / f.ioFloor.raw.seconds),
      ratio(f.parse.seconds / f.ioFloor.readSeconds),
      ratio(f.write.seconds / f.ioFloor.writeSeconds),
      `${ratio(f.parse.cpuSeconds / f.ioFloor.readCpuSeconds)} ${ratio(f.write.cpuSeconds / f.ioFloor.writeCpuSeconds)}`,
      rate(f.parse.rowsPerSecond),
      rate(f.write.cellsPerSecond),
      percent(chartSeconds / f.run.seconds),
      f.run.charts === 0 || Number.isNaN(chartSeconds) ? 'n/a' : ((chartSeconds * 1000) / f.run.charts).toFixed(0),
      f.run.charts === 0 || Number.isNaN(chartCpuSeconds) ? 'n/a' : ((chartCpuSeconds * 1000) / f.run.charts).toFixed(1),
      percent(chartCpuSeconds / (chartSeconds * cpus().length)),
      count(f.run.charts),
      secs(startup.seconds),
      percent(startup.seconds / f.run.seconds),
      ratio(f.run.maxRssBytes / inputBytes),
      percent((f.run.userSeconds + f.run.systemSeconds) / (f.run.seconds * cpus().length)),
    ];
  });
  return [
    ...aligned(header, rows),
    'each a ratio within this run: run/IO floor = run s / I/O floor s (run/raw I/O: over readFile + streaming ready bytes); parse and write over their floors (read, write);',
    'in CPU s = parse/read floor and write/write floor in CPU seconds (what other work on the machine hardly moves);',
    'parse rows/s and write cells/s = the parse and write phases alone; startup = portfolio-combiner --help;',
    'charts % and ms/chart = the Render charts stage (wall) over the run and over the PNGs written; CPU ms/chart = its CPU (every thread, encoding',
    `included) over the PNGs; charts CPU use = its CPU / (its wall x ${cpus().length} cores); RSS/input = peak RSS / input bytes;`,
    `CPU use = the run's user + system CPU / (its wall time x ${cpus().length} cores).`,
  ];
}

/** A header, a rule and the rows, the first column left-aligned and the others right-aligned. */
function aligned(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((title, c) => Math.max(title.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a';
}

function percent(fraction: number): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(0)} %` : 'n/a';
}

function resultsJson(figures: readonly SizeFigures[], startup: Startup, seed: number, loadAverage: { before: number; after: number }): unknown {
  return {
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      totalMemoryBytes: totalmem(),
      node: process.version,
      platform: process.platform,
      loadAverage1m: loadAverage,
    },
    seed,
    startup,
    sizes: figures.map((f) => ({ ...f, run: { ...f.run, stderrTail: undefined } })),
  };
}

function wholeNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${flag} must be a whole number (got ${text})`);
  return value;
}

function median<T>(items: readonly T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (middle === undefined) throw new Error('nothing was measured');
  return middle;
}

function medianOf(values: readonly number[]): number {
  return median(values, (value) => value);
}

function parts(record: Record<string, number>): string {
  return Object.entries(record)
    .map(([name, seconds]) => `${name} ${secs(seconds)}`)
    .join(', ');
}

function secs(seconds: number): string {
  return seconds >= 100 ? seconds.toFixed(0) : seconds >= 10 ? seconds.toFixed(1) : seconds >= 1 ? seconds.toFixed(2) : seconds.toFixed(3);
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1)} MB`;
}

function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function rate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return 'n/a';
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k`;
  return perSecond.toFixed(0);
}

await main();
