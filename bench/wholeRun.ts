/**
 * The whole run as a user runs it: a child process `node bin/portfolio-combiner.js run --data
 * DIR --out DIR` (what `npx portfolio-combiner run` executes; `optimize` the same way), so that
 * its peak memory is its own. Peak RSS from `/usr/bin/time -v` when it exists, and always from the child itself
 * (a probe loaded with `--import` reports process.resourceUsage() and /proc/self/io at exit).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT = fileURLToPath(new URL('..', import.meta.url));
const PROBE = fileURLToPath(new URL('./childProbe.mjs', import.meta.url));
const BIN = join(PROJECT, 'bin', 'portfolio-combiner.js');
const TIME = '/usr/bin/time';

export interface ProbeReport {
  exitCode: number;
  maxRssKiB: number;
  userSeconds: number;
  systemSeconds: number;
  uptimeSeconds: number;
  heapUsedBytes: number;
  /** [seconds on the child's performance.now() clock, resident bytes, CPU seconds of every thread so far], every 20 ms. */
  samples: [number, number, number][];
  /** Each stage the pipeline measured: [name, start on the same clock, seconds]. */
  stages: [string, number, number][];
  /** /proc/self/io: rchar and wchar are every byte the process passed to read and write calls. */
  io: Record<string, number> | null;
}

export interface WholeRun {
  seconds: number;
  exitCode: number;
  maxRssBytes: number;
  /** Where maxRssBytes comes from. */
  maxRssSource: 'time -v' | 'process.resourceUsage';
  userSeconds: number;
  systemSeconds: number;
  /** Bytes of the report files the run published. */
  bytesWritten: number;
  /** PNGs in the report's charts/ folder. */
  charts: number;
  /** Every byte the process read or wrote through system calls (modules, inputs, intermediate artifacts, report). */
  processReadBytes: number | null;
  processWriteBytes: number | null;
  /** Seconds of each stage, as the pipeline measured it. */
  stages: Record<string, number>;
  /** Highest sampled RSS while each stage ran (sampled every 20 ms, so a lower bound). */
  stagePeakRssBytes: Record<string, number>;
  /** CPU seconds (user + system, every thread) each stage used, to the nearest 20 ms sample. */
  stageCpuSeconds: Record<string, number>;
  stderrTail: string[];
}

export interface ChildOptions {
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: readonly string[];
  scratch: string;
}

export async function wholeRun(dataFolder: string, outFolder: string, options: ChildOptions, command: 'run' | 'optimize' = 'run'): Promise<WholeRun> {
  const child = await runChild([command, '--data', dataFolder, '--out', outFolder], options);
  if (child.exitCode !== 0) {
    throw new Error(`portfolio-combiner ${command} exited with ${child.exitCode}:\n${child.stderr.slice(-20).join('\n')}`);
  }
  let bytesWritten = 0;
  for (const name of await readdir(outFolder)) bytesWritten += (await stat(join(outFolder, name))).size;
  const chartsFolder = join(outFolder, 'charts');
  const charts = existsSync(chartsFolder) ? (await readdir(chartsFolder)).filter((name) => name.endsWith('.png')).length : 0;
  return {
    seconds: child.seconds,
    exitCode: child.exitCode,
    maxRssBytes: child.maxRssBytes,
    maxRssSource: child.maxRssSource,
    userSeconds: child.probe?.userSeconds ?? 0,
    systemSeconds: child.probe?.systemSeconds ?? 0,
    bytesWritten,
    charts,
    processReadBytes: child.probe?.io?.['rchar'] ?? null,
    processWriteBytes: child.probe?.io?.['wchar'] ?? null,
    ...stageFigures(child.probe?.stages ?? [], child.probe?.samples ?? []),
    stderrTail: child.stderr.slice(-8),
  };
}

export interface Startup {
  seconds: number;
  maxRssBytes: number;
}

/** The fixed cost of any run: node + tsx + loading the sources (`portfolio-combiner --help`). */
export async function startupCost(options: ChildOptions): Promise<Startup> {
  const child = await runChild(['--help'], options);
  return { seconds: child.seconds, maxRssBytes: child.maxRssBytes };
}

interface ChildResult {
  seconds: number;
  exitCode: number;
  maxRssBytes: number;
  maxRssSource: WholeRun['maxRssSource'];
  probe: ProbeReport | null;
  stderr: string[];
}

async function runChild(args: readonly string[], options: ChildOptions): Promise<ChildResult> {
  const probeFile = join(options.scratch, `probe-${process.pid}-${Date.now()}.json`);
  const timeFile = join(options.scratch, `time-${process.pid}-${Date.now()}.txt`);
  const useTime = existsSync(TIME);
  const node = [process.execPath, ...(options.nodeFlags ?? []), '--import', PROBE, BIN, ...args];
  const [command, ...commandArgs] = useTime ? [TIME, '-v', '-o', timeFile, ...node] : node;
  const stderr: string[] = [];
  const started = performance.now();
  const exitCode = await new Promise<number>((resolvePromise, reject) => {
    const child = spawn(command as string, commandArgs, {
      cwd: PROJECT,
      env: { ...process.env, PC_BENCH_PROBE: probeFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let pending = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      stderr.push(...lines);
      if (stderr.length > 200) stderr.splice(0, stderr.length - 200);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (pending !== '') stderr.push(pending);
      resolvePromise(code ?? -1);
    });
  });
  const seconds = (performance.now() - started) / 1000;

  const probe = existsSync(probeFile) ? (JSON.parse(await readFile(probeFile, 'utf8')) as ProbeReport) : null;
  const timeRss = useTime && existsSync(timeFile) ? maxRssFromTime(await readFile(timeFile, 'utf8')) : null;
  await rm(probeFile, { force: true });
  await rm(timeFile, { force: true });
  const maxRssBytes = timeRss ?? (probe === null ? 0 : probe.maxRssKiB * 1024);
  return { seconds, exitCode, maxRssBytes, maxRssSource: timeRss === null ? 'process.resourceUsage' : 'time -v', probe, stderr };
}

function maxRssFromTime(report: string): number | null {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
  return match === null ? null : Number(match[1]) * 1024;
}

/** Each stage's seconds, highest sampled RSS and CPU between the samples nearest its start and its end. */
function stageFigures(
  stages: readonly [string, number, number][],
  samples: readonly [number, number, number][],
): { stages: Record<string, number>; stagePeakRssBytes: Record<string, number>; stageCpuSeconds: Record<string, number> } {
  const figures = { stages: {} as Record<string, number>, stagePeakRssBytes: {} as Record<string, number>, stageCpuSeconds: {} as Record<string, number> };
  const cpuAt = (time: number): number => {
    let cpu = 0;
    for (const [at, , used] of samples) if (at <= time) cpu = used;
    return cpu;
  };
  for (const [name, start, seconds] of stages) {
    const end = start + seconds;
    let peak = 0;
    for (const [at, rss] of samples) if (at >= start && at <= end) peak = Math.max(peak, rss);
    figures.stages[name] = seconds;
    figures.stagePeakRssBytes[name] = peak;
    figures.stageCpuSeconds[name] = cpuAt(end) - cpuAt(start);
  }
  return figures;
}
