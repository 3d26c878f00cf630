/**
 * The optimizer over a bench data set (SPEC 13): the `optimize` command in a child process, with
 * `optimizer.inSampleEnd` at 70 % of the calendar, and what the cloud would fan out: one Map per
 * step, one child per candidate set, inline up to the stack's inline limit, Distributed beyond.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FAN_OUT_DEFAULTS } from '#infra/fanOutDefaults.ts';
import type { OptimizerJson } from '#shared/optimize/optimizerReport.ts';
import { evaluatedSets } from '#shared/report/optimizerSummaryText.ts';
import { wholeRun, type ChildOptions, type WholeRun } from './wholeRun.ts';


export interface OptimizeFigures {
  run: WholeRun;
  inSampleEnd: string;
  steps: number;
  evaluated: number;
  chosen: number;
  stopReason: string;
  /** Candidate sets of each step: the children of that step's Map. */
  childrenPerStep: number[];
  inlineMaps: number;
  distributedMaps: number;
  /** The Optimize stage's seconds per candidate set (one day loop over the in-sample dates). */
  secondsPerSet: number;
  sharpe: { inSample: number | null; outOfSample: number | null };
}

export async function optimizeRun(dataFolder: string, outFolder: string, options: ChildOptions): Promise<OptimizeFigures> {
  const inSampleEnd = await dateAtFraction(dataFolder, 0.7);
  const configFile = join(dataFolder, 'portfolio.json');
  const config = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
  await writeFile(configFile, `${JSON.stringify({ ...config, optimizer: { inSampleEnd } }, null, 2)}\n`);
  const run = await wholeRun(dataFolder, outFolder, options, 'optimize');
  const report = JSON.parse(await readFile(join(outFolder, 'optimizer.json'), 'utf8')) as OptimizerJson;
  const childrenPerStep = report.steps.map((step) => step.candidates.length);
  const evaluated = evaluatedSets(report);
  return {
    run,
    inSampleEnd,
    steps: report.steps.length,
    evaluated,
    chosen: report.chosen.length,
    stopReason: report.stopReason,
    childrenPerStep,
    inlineMaps: childrenPerStep.filter((children) => children <= FAN_OUT_DEFAULTS.inlineMapLimit).length,
    distributedMaps: childrenPerStep.filter((children) => children > FAN_OUT_DEFAULTS.inlineMapLimit).length,
    secondsPerSet: (run.stages['Optimize'] ?? run.seconds) / Math.max(1, evaluated),
    sharpe: { inSample: report.inSampleMetrics?.sharpe ?? null, outOfSample: report.outOfSampleMetrics?.sharpe ?? null },
  };
}

/** The date `fraction` of the way through the first CSV's rows (every bench strategy covers the same days). */
async function dateAtFraction(dataFolder: string, fraction: number): Promise<string> {
  const [first] = (await readdir(dataFolder)).filter((name) => name.endsWith('.csv')).sort();
  const rows = (await readFile(join(dataFolder, first ?? ''), 'utf8')).trim().split('\n').slice(1);
  return (rows[Math.floor(rows.length * fraction)] ?? '').slice(0, 10);
}
