/**
 * Forward risk by block bootstrap (SPEC 20), one path at a time: each path is a data set of its
 * own, made of resampled source dates, on which the portfolio runs as configured (allocation,
 * rebalancing with its calendar triggers on the path's dates, limits) from the starting
 * capitals. Positions are scaled once per source row (SPEC 3 depends only on the row), so a
 * path copies scaled rows, a block of consecutive dates at a time; it never re-aligns or re-scales. A chunk of paths is computed on its
 * own from the seed, so chunks can run apart and be merged (`monteCarloReport.ts`).
 */
import { at } from '#shared/collections.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { calendarMonths } from '#shared/dates.ts';
import { pathCalendar, pathSourceDates, type BootstrapShape } from './blockBootstrap.ts';
import { compoundEquity, newLedger, type Ledger, type LoopAccount, type LoopSeries, type LoopSettings, type LoopStrategy } from './compound.ts';
import { computeMetrics } from './metrics.ts';
import { percentOf, returnsFromEquity } from './performance.ts';
import { dollarDrawdowns } from './drawdowns.ts';
import { dailyStopLossCheck } from './riskRules.ts';

/** The figures of one path, in the order montecarlo.json lists them. */
export const PATH_FIGURE_NAMES = [
  'endEquityUsd',
  'totalReturn',
  'maxDrawdown',
  'sharpe',
  'maxDrawdownUsd',
  'worstMarginUtilizationPct',
  'stopLossDays',
  'breachEvents',
] as const;
export type PathFigureName = (typeof PATH_FIGURE_NAMES)[number];
/** null where a figure does not exist: a Sharpe of returns that never move, the limit counts without their limit. */
export type PathFigures = Record<PathFigureName, number | null>;

/** The run's data as the bootstrap resamples it: every strategy on the whole calendar. */
export interface BootstrapSource {
  config: PortfolioConfig;
  /** Day numbers of the aligned calendar. */
  calendar: Int32Array;
  /** Per strategy, in config order: its sizing and scaled rows, and its own span on the calendar. */
  strategies: readonly LoopStrategy[];
  /** Per strategy: 1 on the calendar dates where its file has a row. */
  rows: readonly Uint8Array[];
  accounts: readonly LoopAccount[];
  settings: LoopSettings;
  /** The calendar index of the first source date (the first on or after `monteCarlo.from`). */
  firstSourceDay: number;
  shape: BootstrapShape;
}

/** A strategy's source rows, from the first source date on: what paths copy from. */
interface SourceStrategy {
  allocatedCapital: number;
  /** Its own span in source indexes (inclusive; empty when last < first). */
  spanFirst: number;
  spanLast: number;
  /** `rowsBefore[i]`: how many of source dates `0 .. i-1` carry its row. */
  rowsBefore: Int32Array;
}

/** What every path of one run shares, computed once; the source's own columns are left behind (`sourceRows` holds what paths read). */
export interface PathContext extends Omit<BootstrapSource, 'strategies' | 'rows'> {
  dates: Int32Array;
  months: string[];
  startingEquity: number;
  totalAllocated: number;
  sourceStrategies: SourceStrategy[];
  /**
   * The scaled rows from the first source date on, date by date, each date's strategies side by
   * side (`LOOP_COLUMNS` each): a block of a path is one stretch of memory, read in order.
   */
  sourceRows: Float64Array;
  /** The span on a path of a strategy whose span covers every source date (every path day, one run from day 0), and of one the path holds no row of (no day): shared, never written. */
  wholeSpan: Int32Array;
  emptySpan: Int32Array;
  /** What a path writes, made once and written again by each path: a context runs one path at a time. */
  room: PathRoom;
}

/** The path's strategies (their rows copied in) and its day loop's ledger. */
export interface PathRoom {
  strategies: PathStrategy[];
  ledger: Ledger;
}

/** A strategy on a path, with room for a span that is neither whole nor empty. */
interface PathStrategy extends LoopStrategy {
  scaled: LoopSeries;
  spanRoom: Int32Array;
}

const LOOP_COLUMNS = ['units', 'scaledMargin', 'scaledNotional', 'scaledReturn'] as const;

export function pathContext(source: BootstrapSource): PathContext {
  const { config, firstSourceDay: first } = source;
  const dates = pathCalendar(at(source.calendar, source.calendar.length - 1), source.shape.horizonDays);
  const sourceStrategies = source.strategies.map((strategy, s): SourceStrategy => {
    const rows = at(source.rows, s);
    const rowsBefore = new Int32Array(rows.length - first + 1);
    for (let i = first; i < rows.length; i += 1) rowsBefore[i - first + 1] = (rowsBefore[i - first] ?? 0) + (rows[i] ?? 0);
    return {
      allocatedCapital: strategy.allocatedCapital,
      spanFirst: strategy.spanStart - first,
      spanLast: strategy.spanEnd - first,
      rowsBefore,
    };
  });
  const horizon = source.shape.horizonDays;
  const { strategies, rows, ...kept } = source;
  return {
    ...kept,
    // Its own copy: the source's calendar is a view of the scaled data, which it would keep.
    calendar: source.calendar.slice(),
    dates,
    months: calendarMonths(dates),
    startingEquity: config.accounts.reduce((sum, account) => sum + account.startingCapital, 0),
    totalAllocated: config.strategies.reduce((sum, strategy) => sum + strategy.allocatedCapital, 0),
    sourceStrategies,
    sourceRows: sourceRowsByDate(strategies, first, source.shape.sourceDates),
    wholeSpan: new Int32Array(horizon),
    emptySpan: Int32Array.from({ length: horizon }, (_, day) => day + 1),
    room: { strategies: newPathStrategies(sourceStrategies, horizon), ledger: newLedger(sourceStrategies.length, source.accounts.length, horizon, false) },
  };
}

function sourceRowsByDate(strategies: readonly LoopStrategy[], first: number, sourceDates: number): Float64Array {
  const width = strategies.length * LOOP_COLUMNS.length;
  const rows = new Float64Array(sourceDates * width);
  strategies.forEach((strategy, s) => {
    LOOP_COLUMNS.forEach((name, c) => {
      const column = strategy.scaled[name];
      for (let date = 0; date < sourceDates; date += 1) rows[date * width + s * LOOP_COLUMNS.length + c] = column[first + date] ?? 0;
    });
  });
  return rows;
}

function newPathStrategies(sourceStrategies: readonly SourceStrategy[], horizon: number): PathStrategy[] {
  return sourceStrategies.map((strategy) => ({
    allocatedCapital: strategy.allocatedCapital,
    scaled: {
      units: new Float64Array(horizon),
      scaledMargin: new Float64Array(horizon),
      scaledNotional: new Float64Array(horizon),
      scaledReturn: new Float64Array(horizon),
    },
    spanStart: 0,
    spanEnd: horizon - 1,
    spanRunStart: undefined,
    spanRoom: new Int32Array(horizon),
  }));
}

/** A path as runs of consecutive source dates: path days `day .. day + length - 1` are source dates `source ..`. */
interface SourceRun {
  day: number;
  source: number;
  length: number;
}

function sourceRuns(sourceDates: Int32Array): SourceRun[] {
  const runs: SourceRun[] = [];
  for (let day = 0; day < sourceDates.length; day += 1) {
    const source = sourceDates[day] ?? 0;
    const last = runs[runs.length - 1];
    if (last !== undefined && last.source + last.length === source) last.length += 1;
    else runs.push({ day, source, length: 1 });
  }
  return runs;
}

/**
 * Each strategy on the path: the scaled rows of the path's source dates, and its span on the
 * path, the set of path days whose source date lies within its own span (empty when the path
 * holds none of its rows), given as the start of each day's unbroken run of span days. Written
 * into `into` (by default new strategies): what it returned before is overwritten.
 */
export function pathStrategies(
  context: PathContext,
  sourceDates: Int32Array,
  into: PathStrategy[] = newPathStrategies(context.sourceStrategies, sourceDates.length),
): LoopStrategy[] {
  const length = sourceDates.length;
  const runs = sourceRuns(sourceDates);
  const { sourceStrategies, sourceRows } = context;
  const count = sourceStrategies.length;
  for (let day = 0; day < length; day += 1) {
    let row = (sourceDates[day] ?? 0) * count * LOOP_COLUMNS.length;
    for (let s = 0; s < count; s += 1, row += LOOP_COLUMNS.length) {
      const { scaled } = into[s] as PathStrategy;
      // In the order of LOOP_COLUMNS, as sourceRowsByDate lays them out.
      scaled.units[day] = sourceRows[row] ?? 0;
      scaled.scaledMargin[day] = sourceRows[row + 1] ?? 0;
      scaled.scaledNotional[day] = sourceRows[row + 2] ?? 0;
      scaled.scaledReturn[day] = sourceRows[row + 3] ?? 0;
    }
  }
  for (let s = 0; s < count; s += 1) {
    const strategy = at(sourceStrategies, s);
    const onPath = at(into, s);
    const { rowsBefore, spanFirst, spanLast } = strategy;
    const holdsRows = runs.some((run) => (rowsBefore[run.source + run.length] ?? 0) > (rowsBefore[run.source] ?? 0));
    const spanRunStart = !holdsRows ? context.emptySpan : spanFirst <= 0 && spanLast >= context.shape.sourceDates - 1 ? context.wholeSpan : onPath.spanRoom;
    if (spanRunStart === onPath.spanRoom) {
      for (let day = 0; day < length; day += 1) {
        const source = sourceDates[day] ?? 0;
        const runBefore = day === 0 ? day : (spanRunStart[day - 1] ?? day);
        spanRunStart[day] = !(spanFirst <= source && source <= spanLast) ? day + 1 : runBefore < day ? runBefore : day;
      }
    }
    onPath.spanRunStart = spanRunStart;
  }
  return into;
}

/** One path's run and its portfolio equity (the context's room: read it before the next path) and figures. */
export function runPath(context: PathContext, path: number): { equity: Float64Array; figures: PathFigures } {
  const { config, dates, startingEquity, room } = context;
  const strategies = pathStrategies(context, pathSourceDates(context.shape, path), room.strategies);
  const ledger = compoundEquity(strategies, context.accounts, dates, context.settings, room.ledger);
  const equity = ledger.portfolio.equity;
  const last = equity.length - 1;
  const returns = returnsFromEquity(equity, startingEquity);
  const { totalReturn, maxDrawdown, sharpe } = computeMetrics(returns, { calendar: dates, months: context.months, first: 0, last }, config.metrics);
  const { drawdownBreachUsd, dailyStopLossUsd } = config.limits;
  const drawdowns = dollarDrawdowns(equity, startingEquity, drawdownBreachUsd, 0, last);
  let worstMarginUtilizationPct = Number.NEGATIVE_INFINITY;
  for (const pct of percentOf(ledger.portfolio.marginUsed, context.totalAllocated)) worstMarginUtilizationPct = Math.max(worstMarginUtilizationPct, pct);
  return {
    equity,
    figures: {
      endEquityUsd: at(equity, last),
      totalReturn,
      maxDrawdown,
      sharpe,
      maxDrawdownUsd: drawdowns.maxDrawdownUsd,
      worstMarginUtilizationPct,
      stopLossDays: dailyStopLossUsd === null ? null : dailyStopLossCheck(dates, equity, startingEquity, dailyStopLossUsd).days,
      breachEvents: drawdownBreachUsd === null ? null : drawdowns.events.length,
    },
  };
}

/** A chunk of paths: their figures, and their equity curves end to end (path by path, `horizonDays` each). */
export interface PathChunk {
  firstPath: number;
  figures: PathFigures[];
  equity: Float64Array;
}

/** Paths `firstPath .. firstPath + count - 1`, computed from the seed alone (the generator jumps to the chunk's first draw). */
export function pathFigures(context: PathContext, firstPath: number, count: number): PathChunk {
  const horizon = context.shape.horizonDays;
  const equity = new Float64Array(count * horizon);
  const figures: PathFigures[] = [];
  for (let k = 0; k < count; k += 1) {
    const path = runPath(context, firstPath + k);
    equity.set(path.equity, k * horizon);
    figures.push(path.figures);
  }
  return { firstPath, figures, equity };
}
