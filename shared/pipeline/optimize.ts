/**
 * The `optimize` stages (SPEC 13-14), after Load+Validate and Align+Scale: start the greedy
 * search, evaluate each step's candidates, choose, repeat, then write optimizer.json and its page.
 * The cloud runs each candidate in a Map and keeps the search state in the work folder between
 * steps; the local run evaluates the candidates of a step in this process, the same arithmetic.
 */
import { z } from 'zod';
import { evaluateSet, evaluationContext, type EvaluationContext } from '#shared/optimize/evaluateSet.ts';
import { chooseStep, mostCandidates, nextCandidates, startSelection, stopSelection, type SelectionState, type SetFigures } from '#shared/optimize/greedySelection.ts';
import { optimizerConstraints } from '#shared/optimize/optimizerReport.ts';
import { joinKey, type Storage } from '#shared/storage/storage.ts';
import type { Validation } from '#shared/model/validation.ts';
import { artifactKey, decodeScaled, readBundle, readJson, writeJson } from './artifacts.ts';
import type { ProgressListener } from './progress.ts';
import { itemIndex, workInputSchema } from './stageInputs.ts';


/**
 * What the state machine loops on: the step and its candidates, or that the search is over. The
 * candidates are always an S3 JSON list of items (`itemsKey`); in the state only when an inline
 * Map runs them (at most `inlineLimit`), so the state stays small whatever the number of strategies.
 */
export interface OptimizerStep {
  step: number;
  candidates: number[];
  candidateCount: number;
  itemsKey: string;
  done: boolean;
}

export function stateKey(workPrefix: string): string {
  return joinKey(workPrefix, 'optimizer/state.json');
}

function figuresKey(workPrefix: string, step: number, strategy: number): string {
  return joinKey(workPrefix, `optimizer/step-${step}/${strategy}.json`);
}

export async function loadContext(storage: Storage, workPrefix: string): Promise<EvaluationContext> {
  const { config } = await readJson<Validation>(storage, artifactKey(workPrefix, 'validation'));
  return evaluationContext(config, await readBundle(storage, artifactKey(workPrefix, 'scaled'), decodeScaled));
}

/** Proposes the next step's candidates, or records why the search stops before evaluating. */
function advance(state: SelectionState, workPrefix: string, inlineLimit: number = Number.POSITIVE_INFINITY): { state: SelectionState; next: OptimizerStep; proposed: number[] } {
  const stopped = (stoppedState: SelectionState) => ({
    state: stoppedState,
    next: { step: stoppedState.steps.length, candidates: [], candidateCount: 0, itemsKey: '', done: true },
    proposed: [],
  });
  if (state.stopReason !== null) return stopped(state);
  const proposal = nextCandidates(state);
  if ('stop' in proposal) return stopped(stopSelection(state, proposal.stop));
  const step = state.steps.length + 1;
  return {
    state,
    next: {
      step,
      candidates: proposal.candidates.length <= inlineLimit ? proposal.candidates : [],
      candidateCount: proposal.candidates.length,
      itemsKey: itemsKey(workPrefix, step),
      done: false,
    },
    proposed: proposal.candidates,
  };
}

function itemsKey(workPrefix: string, step: number): string {
  return joinKey(workPrefix, `optimizer/step-${step}/items.json`);
}

/** Saves the search and the next step's candidates as items (the Distributed Map and Choose read them). */
async function save(storage: Storage, workPrefix: string, { state, next, proposed }: ReturnType<typeof advance>): Promise<OptimizerStep> {
  await writeJson(storage, stateKey(workPrefix), state);
  if (!next.done) await writeJson(storage, next.itemsKey, proposed.map((strategy) => ({ strategy })));
  return next;
}

const optimizerStart = workInputSchema.extend({ action: z.literal('start') });
const optimizerChoose = workInputSchema.extend({
  action: z.literal('choose'),
  step: z.number().int().positive(),
  /** The step's candidates, as the S3 JSON list of items its Map read. */
  itemsKey: z.string().min(1),
});

/** The optimizer's loop state: start the search, or choose among the figures of a step's candidates. */
export const optimizerStepInputSchema = z.discriminatedUnion('action', [optimizerStart, optimizerChoose]);

/** One Map item of an optimizer step: the chosen set plus this strategy. */
export const candidateInputSchema = workInputSchema.extend({ step: z.number().int().positive(), strategy: itemIndex });

export async function startOptimizer(storage: Storage, { workPrefix }: z.infer<typeof optimizerStart>, inlineLimit?: number): Promise<OptimizerStep> {
  const { config } = await readJson<Validation>(storage, artifactKey(workPrefix, 'validation'));
  return save(storage, workPrefix, advance(startSelection(config.strategies.length, optimizerConstraints(config)), workPrefix, inlineLimit));
}

/** One candidate of one step (a Map item in the cloud): the chosen set plus this strategy, in sample. */
export async function evaluateCandidate(storage: Storage, { workPrefix, step, strategy }: z.infer<typeof candidateInputSchema>): Promise<{ figuresKey: string }> {
  const context = await loadContext(storage, workPrefix);
  const state = await readJson<SelectionState>(storage, stateKey(workPrefix));
  const key = figuresKey(workPrefix, step, strategy);
  await writeJson(storage, key, evaluateSet(context, [...state.chosen, strategy]));
  return { figuresKey: key };
}

/** Collects a step's figures (its candidates read from the step's items), chooses, and proposes the next step. */
export async function chooseOptimizerStep(
  storage: Storage,
  { workPrefix, step, itemsKey: stepItems }: z.infer<typeof optimizerChoose>,
  inlineLimit?: number,
): Promise<OptimizerStep> {
  const state = await readJson<SelectionState>(storage, stateKey(workPrefix));
  const candidates = (await readJson<{ strategy: number }[]>(storage, stepItems)).map(({ strategy }) => strategy);
  const figures = await Promise.all(candidates.map((strategy) => readJson<SetFigures>(storage, figuresKey(workPrefix, step, strategy))));
  return save(storage, workPrefix, advance(chooseStep(state, candidates, figures), workPrefix, inlineLimit));
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
  const constraints = optimizerConstraints(context.config);
  const n = context.config.strategies.length;
  const most = mostCandidates(n, constraints);
  let { state, next } = advance(startSelection(n, constraints), workPrefix);
  let evaluated = 0;
  while (!next.done) {
    const figures = next.candidates.map((strategy) => {
      const result = evaluateSet(context, [...state.chosen, strategy]);
      evaluated += 1;
      progress?.({ stage: 'candidates', done: evaluated, total: most });
      return result;
    });
    ({ state, next } = advance(chooseStep(state, next.candidates, figures), workPrefix));
  }
  await writeJson(storage, stateKey(workPrefix), state);
  return { steps: state.steps.length, evaluated };
}
