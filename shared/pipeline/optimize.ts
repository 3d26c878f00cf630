/**
 * The `optimize` stages (SPEC 13-14), after Load+Validate and Align+Scale: start the greedy
 * search, evaluate each step's candidates, choose, repeat, then write optimizer.json and its page.
 * The cloud runs each candidate in a Map and keeps the search state in the work folder between
 * steps; the local run evaluates the candidates of a step in this process, the same arithmetic.
 */
import { at } from '../collections.js';
import { evaluateSet, evaluationContext, type EvaluationContext } from '../optimize/evaluateSet.js';
import { chooseStep, nextCandidates, startSelection, stopSelection, type SelectionState, type SetFigures } from '../optimize/greedySelection.js';
import { inSampleLastDay, optimizerConstraints, optimizerJson } from '../optimize/optimizerReport.js';
import { optimizerPathFigure } from '../report/charts/figures.js';
import { optimizerPage } from '../report/html/optimizerPage.js';
import { joinKey, type Storage } from '../storage/storage.js';
import { artifactKey, decodeScaled, readBundle, readJson, writeJson, type Validation } from './artifacts.js';
import type { ProgressListener } from './progress.js';

export const OPTIMIZER_FILES = { json: 'optimizer.json', page: 'optimizer.html' } as const;

/** What the state machine loops on: the step and its candidates, or that the search is over. */
export interface OptimizerStep {
  step: number;
  candidates: number[];
  done: boolean;
}

function stateKey(workPrefix: string): string {
  return joinKey(workPrefix, 'optimizer/state.json');
}

function figuresKey(workPrefix: string, step: number, strategy: number): string {
  return joinKey(workPrefix, `optimizer/step-${step}/${strategy}.json`);
}

async function loadContext(storage: Storage, workPrefix: string): Promise<EvaluationContext> {
  const { config } = await readJson<Validation>(storage, artifactKey(workPrefix, 'validation'));
  return evaluationContext(config, await readBundle(storage, artifactKey(workPrefix, 'scaled'), decodeScaled));
}

/** Proposes the next step's candidates, or records why the search stops before evaluating. */
function advance(state: SelectionState): { state: SelectionState; next: OptimizerStep } {
  if (state.stopReason !== null) return { state, next: { step: state.steps.length, candidates: [], done: true } };
  const proposal = nextCandidates(state);
  if ('stop' in proposal) return { state: stopSelection(state, proposal.stop), next: { step: state.steps.length, candidates: [], done: true } };
  return { state, next: { step: state.steps.length + 1, candidates: proposal.candidates, done: false } };
}

export async function startOptimizer(storage: Storage, { workPrefix }: { workPrefix: string }): Promise<OptimizerStep> {
  const { config } = await readJson<Validation>(storage, artifactKey(workPrefix, 'validation'));
  const { state, next } = advance(startSelection(config.strategies.length, optimizerConstraints(config)));
  await writeJson(storage, stateKey(workPrefix), state);
  return next;
}

/** One candidate of one step (a Map item in the cloud): the chosen set plus this strategy, in sample. */
export async function evaluateCandidate(
  storage: Storage,
  { workPrefix, step, strategy }: { workPrefix: string; step: number; strategy: number },
): Promise<{ figuresKey: string }> {
  const context = await loadContext(storage, workPrefix);
  const state = await readJson<SelectionState>(storage, stateKey(workPrefix));
  const lastDay = inSampleLastDay(context.calendar, context.config.optimizer?.inSampleEnd ?? null);
  const key = figuresKey(workPrefix, step, strategy);
  await writeJson(storage, key, evaluateSet(context, [...state.chosen, strategy], lastDay));
  return { figuresKey: key };
}

/** Collects a step's figures, chooses, and proposes the next step. */
export async function chooseOptimizerStep(
  storage: Storage,
  { workPrefix, step, candidates }: { workPrefix: string; step: number; candidates: number[] },
): Promise<OptimizerStep> {
  const state = await readJson<SelectionState>(storage, stateKey(workPrefix));
  const figures = await Promise.all(candidates.map((strategy) => readJson<SetFigures>(storage, figuresKey(workPrefix, step, strategy))));
  const { state: advanced, next } = advance(chooseStep(state, candidates, figures));
  await writeJson(storage, stateKey(workPrefix), advanced);
  return next;
}

export async function finishOptimizer(
  storage: Storage,
  { workPrefix, outputPrefix }: { workPrefix: string; outputPrefix: string },
): Promise<{ chosen: string[]; keys: string[] }> {
  const context = await loadContext(storage, workPrefix);
  const state = await readJson<SelectionState>(storage, stateKey(workPrefix));
  const report = optimizerJson(context, state);
  const keys = [joinKey(outputPrefix, OPTIMIZER_FILES.json), joinKey(outputPrefix, OPTIMIZER_FILES.page)];
  await writeJson(storage, at(keys, 0), report);
  const chosenStrategies = context.config.strategies.filter((strategy) => report.chosen.includes(strategy.name));
  await storage.put(at(keys, 1), optimizerPage(report, chosenStrategies, optimizerPathFigure(report)));
  return { chosen: report.chosen, keys };
}

/**
 * The whole search in this process: the data loaded once, each step's candidates evaluated one
 * after the other, progress reported as candidates evaluated of the most there can be.
 */
export async function runOptimizer(
  storage: Storage,
  { workPrefix }: { workPrefix: string },
  progress?: ProgressListener,
): Promise<{ steps: number; evaluated: number }> {
  const context = await loadContext(storage, workPrefix);
  const lastDay = inSampleLastDay(context.calendar, context.config.optimizer?.inSampleEnd ?? null);
  const constraints = optimizerConstraints(context.config);
  const n = context.config.strategies.length;
  const most = Array.from({ length: Math.min(n, constraints.maxStrategies) }, (_, k) => n - k).reduce((sum, count) => sum + count, 0);
  let { state, next } = advance(startSelection(n, constraints));
  let evaluated = 0;
  while (!next.done) {
    const figures = next.candidates.map((strategy) => {
      const result = evaluateSet(context, [...state.chosen, strategy], lastDay);
      evaluated += 1;
      progress?.({ stage: 'candidates', done: evaluated, total: most });
      return result;
    });
    ({ state, next } = advance(chooseStep(state, next.candidates, figures)));
  }
  await writeJson(storage, stateKey(workPrefix), state);
  return { steps: state.steps.length, evaluated };
}
