/**
 * The run's and the optimizer's stages, in order, written once: the local run times and prints
 * them (`runPipeline`, `runOptimizePipeline`), the state machines in infra/ name their states
 * after them and invoke their functions. Data only, so infra/ reads it without loading the
 * stages' code. Where the cloud splits one local stage into several states (a Map, then the
 * step after it), those states share the stage's `localName`.
 */

/** A function under functions/ that runs a stage, by its file name. */
export type StageHandler =
  | 'load-validate'
  | 'align-scale'
  | 'compound-reconcile'
  | 'run-scenario'
  | 'plan-monte-carlo'
  | 'run-bootstrap-chunk'
  | 'merge-monte-carlo'
  | 'write-report'
  | 'render-charts'
  | 'write-pages'
  | 'write-index'
  | 'optimizer-step'
  | 'evaluate-candidate'
  | 'finish-optimizer';

/** Where a Map finds its items in the execution's state, as the stage before it left them. */
export interface FanOutItems {
  /** The items as a list, for an inline Map (empty when there are too many to carry). */
  readonly itemsPath: string;
  /** How many items there are. */
  readonly countPath: string;
  /** The S3 key of the same items as JSON objects, for a Distributed Map. */
  readonly itemsKeyPath: string;
  /** The field each item's value goes to in the child's event. */
  readonly itemField: string;
}

export interface Stage {
  /** The state's name in the state machine. */
  readonly name: string;
  /** The function that runs it in the cloud, once or once per Map item; null where only the local run has it so far. */
  readonly handler: StageHandler | null;
  /** Where the state machine keeps the function's result; a fan-out's items leave theirs in S3. */
  readonly resultPath?: string;
  /** A fan-out: one child per item the stage before listed. */
  readonly fanOut?: FanOutItems;
  /** The local run's name for it, when that differs (the local run prints one line for a Map and the step after it). */
  readonly localName?: string;
}

/** The report's Map items: chunks of levels, listed by Compound+Reconcile. */
const REPORT_CHUNKS: FanOutItems = {
  itemsPath: '$.compound.reportChunks.indexes',
  countPath: '$.compound.reportChunks.count',
  itemsKeyPath: '$.compound.reportChunks.itemsKey',
  itemField: 'chunk',
};

export const RUN_STAGES = [
  { name: 'Load+Validate', handler: 'load-validate', resultPath: '$.load' },
  { name: 'Align+Scale', handler: 'align-scale', resultPath: '$.align' },
  { name: 'Compound+Reconcile', handler: 'compound-reconcile', resultPath: '$.compound' },
  {
    name: 'Scenarios',
    handler: 'run-scenario',
    fanOut: { itemsPath: '$.compound.scenarios.indexes', countPath: '$.compound.scenarios.count', itemsKeyPath: '$.compound.scenarios.itemsKey', itemField: 'index' },
  },
  // SPEC 20: the bootstrap's chunks of paths, a Map item each in the cloud (one after the other in the local run), then merged.
  { name: 'Plan Monte Carlo', handler: 'plan-monte-carlo', resultPath: '$.monteCarlo', localName: 'Monte Carlo' },
  {
    name: 'Monte Carlo',
    handler: 'run-bootstrap-chunk',
    fanOut: { itemsPath: '$.monteCarlo.indexes', countPath: '$.monteCarlo.chunks', itemsKeyPath: '$.monteCarlo.itemsKey', itemField: 'chunk' },
  },
  { name: 'Merge Monte Carlo', handler: 'merge-monte-carlo', resultPath: '$.monteCarloFiles', localName: 'Monte Carlo' },
  { name: 'Write data files', handler: 'write-report', resultPath: '$.dataFiles' },
  { name: 'Charts', handler: 'render-charts', fanOut: REPORT_CHUNKS, localName: 'Render charts' },
  { name: 'Pages', handler: 'write-pages', fanOut: REPORT_CHUNKS, localName: 'Write pages' },
  { name: 'Write index', handler: 'write-index', resultPath: '$.index', localName: 'Write pages' },
] as const satisfies readonly Stage[];

export const OPTIMIZE_STAGES = [
  { name: 'Load+Validate', handler: 'load-validate', resultPath: '$.load' },
  { name: 'Align+Scale', handler: 'align-scale', resultPath: '$.align' },
  // The greedy search (SPEC 13): start, then { a Map of the step's candidates, choose } until it stops.
  { name: 'Start search', handler: 'optimizer-step', resultPath: '$.step', localName: 'Optimize' },
  {
    name: 'Candidates',
    handler: 'evaluate-candidate',
    fanOut: { itemsPath: '$.step.candidates', countPath: '$.step.candidateCount', itemsKeyPath: '$.step.itemsKey', itemField: 'strategy' },
    localName: 'Optimize',
  },
  { name: 'Choose', handler: 'optimizer-step', resultPath: '$.step', localName: 'Optimize' },
  { name: 'Write optimizer', handler: 'finish-optimizer', resultPath: '$.optimizer' },
] as const satisfies readonly Stage[];

/** The name the local run gives a stage. */
type LocalName<S> = S extends { readonly localName: infer L } ? L : S extends { readonly name: infer N } ? N : never;

/** The stages of the local run, in order: consecutive states sharing a local name are one stage. */
export function localStages<const S extends readonly Stage[]>(stages: S): LocalName<S[number]>[] {
  const names: string[] = [];
  for (const stage of stages) {
    const name = stage.localName ?? stage.name;
    if (names[names.length - 1] !== name) names.push(name);
  }
  return names as LocalName<S[number]>[];
}
