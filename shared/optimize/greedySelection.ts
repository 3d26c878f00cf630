/**
 * The greedy strategy-subset optimizer of SPEC 13, as steps: each step proposes the sets to try
 * (the chosen set plus each remaining strategy, in config order), and, once their figures are
 * in, keeps the feasible ones and adds the one with the highest Sharpe. Split this way so that
 * the local command loops over the candidates while the cloud fans them out to a Map.
 */

export interface SetFigures {
  sharpe: number | null;
  maxDrawdownUsd: number;
  /** null without limits.drawdownBreachUsd. */
  breachEvents: number | null;
}

export interface Constraints {
  maxDrawdownUsd: number | null;
  maxBreachEvents: number | null;
  drawdownBreachUsd: number | null;
  maxStrategies: number;
}

export type ConstraintName = 'maxDrawdownUsd' | 'maxBreachEvents';

export interface CandidateRecord extends SetFigures {
  /** Index of the strategy added to the set. */
  strategy: number;
  /** The set tried: the chosen strategies in order of selection, then the candidate. */
  set: number[];
  feasible: boolean;
  failed: ConstraintName[];
}

export interface StepRecord {
  step: number;
  current: number[];
  currentSharpe: number | null;
  candidates: CandidateRecord[];
  chosen: number | null;
}

export type StopReason = 'maxStrategies' | 'allChosen' | 'noFeasibleCandidate' | 'noImprovement';

export interface SelectionState {
  strategyCount: number;
  constraints: Constraints;
  chosen: number[];
  chosenSharpe: number | null;
  steps: StepRecord[];
  stopReason: StopReason | null;
}

export function startSelection(strategyCount: number, constraints: Constraints): SelectionState {
  return { strategyCount, constraints, chosen: [], chosenSharpe: null, steps: [], stopReason: null };
}

/** The most candidate sets a search can evaluate: every strategy not yet chosen, at each step up to `maxStrategies`. */
export function mostCandidates(strategyCount: number, constraints: Constraints): number {
  return Array.from({ length: Math.min(strategyCount, constraints.maxStrategies) }, (_, k) => strategyCount - k).reduce((sum, count) => sum + count, 0);
}

/** The sets to evaluate next, or the reason to stop before evaluating (which ends the search). */
export function nextCandidates(state: SelectionState): { candidates: number[]; sets: number[][] } | { stop: StopReason } {
  if (state.chosen.length >= state.constraints.maxStrategies) return { stop: 'maxStrategies' };
  const candidates = Array.from({ length: state.strategyCount }, (_, s) => s).filter((s) => !state.chosen.includes(s));
  if (candidates.length === 0) return { stop: 'allChosen' };
  return { candidates, sets: candidates.map((s) => [...state.chosen, s]) };
}

/** The search with its stop reason recorded, when `nextCandidates` said to stop. */
export function stopSelection(state: SelectionState, reason: StopReason): SelectionState {
  return { ...state, stopReason: reason };
}

/**
 * Records a step: feasible candidates meet every constraint; the one with the highest non-null
 * Sharpe (config order on ties) joins the set if it raises the set's Sharpe (any non-null Sharpe
 * raises the empty set's). Otherwise the search stops here, this step's `chosen` null.
 */
export function chooseStep(state: SelectionState, candidates: readonly number[], figures: readonly SetFigures[]): SelectionState {
  const { constraints } = state;
  const records = candidates.map((strategy, k): CandidateRecord => {
    const result = figures[k] ?? { sharpe: null, maxDrawdownUsd: Number.POSITIVE_INFINITY, breachEvents: null };
    const failed: ConstraintName[] = [];
    if (constraints.maxDrawdownUsd !== null && result.maxDrawdownUsd > constraints.maxDrawdownUsd) failed.push('maxDrawdownUsd');
    if (constraints.maxBreachEvents !== null && (result.breachEvents ?? 0) > constraints.maxBreachEvents) failed.push('maxBreachEvents');
    return { strategy, set: [...state.chosen, strategy], ...result, feasible: failed.length === 0, failed };
  });
  const feasible = records.filter((record) => record.feasible);
  let best: CandidateRecord | null = null;
  for (const record of feasible) {
    if (record.sharpe !== null && (best === null || record.sharpe > (best.sharpe ?? Number.NEGATIVE_INFINITY))) best = record;
  }
  const improves = best !== null && (state.chosenSharpe === null || (best.sharpe ?? Number.NEGATIVE_INFINITY) > state.chosenSharpe);
  const step: StepRecord = {
    step: state.steps.length + 1,
    current: [...state.chosen],
    currentSharpe: state.chosenSharpe,
    candidates: records,
    chosen: improves && best !== null ? best.strategy : null,
  };
  if (!improves || best === null) {
    return { ...state, steps: [...state.steps, step], stopReason: feasible.length === 0 ? 'noFeasibleCandidate' : 'noImprovement' };
  }
  return { ...state, steps: [...state.steps, step], chosen: [...state.chosen, best.strategy], chosenSharpe: best.sharpe };
}
