/**
 * What a portfolio manager reads first each morning (SPEC 15-16 as figures, issue 13 as words):
 * the portfolio's day, month, year and trailing year in dollars and time-weighted return, its
 * drawdown now, every failing check and wipe-out in one line each, the checks that pass, and the
 * strategies that made and lost the most today and this month. The morning page, the email's
 * first lines and its subject are made of this, so they never disagree.
 */
import type { PeriodName } from '#shared/calc/asOfPeriods.ts';
import type { PartBChecks } from '#shared/calc/partBResults.ts';
import type { AsOf, Attribution, PartCChecks } from '#shared/calc/partCResults.ts';
import type { PeriodFigures } from '#shared/calc/periodFigures.ts';
import type { Checks } from '#shared/calc/reconcile.ts';
import type { RestatedStrategy, RestatementsCheck } from '#shared/calc/restatements.ts';
import { isoDate } from '#shared/dates.ts';
import { describeChecks, type CheckDescription, type CheckKind } from './checkDescriptions.ts';
import { countOf, formatSignedPercent } from './formatting.ts';

/** The periods the header shows, in order. */
export const MORNING_PERIODS = ['day', 'mtd', 'ytd', '1y'] as const satisfies readonly PeriodName[];
export type MorningPeriod = (typeof MORNING_PERIODS)[number];

/** Strategies named on each side of the movers: enough to act on, few enough for a phone. */
export const MOVERS_SHOWN = 3;

export interface Mover {
  name: string;
  pnlUsd: number;
}

export interface Movers {
  /** The largest gains, best first (only strategies that made money). */
  top: Mover[];
  /** The largest losses, worst first (only strategies that lost money). */
  bottom: Mover[];
}

export interface Breach {
  /** The check's name, or `wipeout` for a sleeve that lost all its capital. */
  name: string;
  kind: CheckKind | 'wipeout';
  /** One line in words with the figure a reader acts on. */
  line: string;
  /** A wipe-out's sleeve and date, for a text that names many in one line. */
  wipeout?: { sleeve: string; date: string };
}

/** The alerts by kind, as the email's subject counts them (names only in the body). */
export interface AlertCounts {
  /** Sleeves that lost all their capital. */
  wipeouts: number;
  /** Failing rule checks (limits, the margin alert). */
  rules: number;
  /** Track records more than `staleAfterWeekdays` behind (SPEC 19.1). */
  stale: number;
  /** Strategies that re-sent history that differs from the previous copy (SPEC 19.2). */
  restated: number;
  /** Failing internal checks (reconciliations, drift, invariants, conservation). */
  internal: number;
}

export interface MorningFacts {
  /** `T`, the last date of the calendar. */
  date: string;
  /** The portfolio's figures per period; a period is null when SPEC 15.2 makes it null (e.g. `1y` before a year of history). */
  periods: Record<MorningPeriod, PeriodFigures | null>;
  drawdown: {
    /** A fraction <= 0 of the peak. */
    depth: number;
    /** Dollars below the peak (SPEC 15.3's currentDrawdownUsd, >= 0). */
    usd: number;
    /** The first date under water of the drawdown that runs to `T`; null when at a peak. */
    since: string | null;
    days: number;
  };
  /** Wipe-outs first, then failing rules, data checks and internal checks. */
  breaches: Breach[];
  counts: AlertCounts;
  /** The checks that pass, in the order of `describeChecks`. */
  passing: CheckDescription[];
  movers: { day: Movers; mtd: Movers };
  /** Strategies with no file in the previous copy of the inputs (SPEC 19.2 compares them with nothing), in config order. */
  newStrategies: string[];
}

export interface MorningInput {
  asOf: AsOf;
  attribution: Attribution;
  checks: Checks & Partial<PartBChecks> & Partial<PartCChecks> & { restatements?: RestatementsCheck };
  /** Sleeve name -> the date it lost all its capital. */
  wipeouts: Record<string, string>;
  /** When a previous copy of the inputs was compared (issue 15). */
  previousCopy?: { newStrategies: string[]; restated: Record<string, RestatedStrategy> };
}

const BREACH_ORDER: Record<Breach['kind'], number> = { wipeout: 0, rule: 1, data: 2, internal: 3 };

export function morningFacts({ asOf, attribution, checks, wipeouts, previousCopy }: MorningInput): MorningFacts {
  const { portfolio } = asOf;
  const described = describeChecks(checks);
  const breaches: Breach[] = [
    ...Object.entries(wipeouts).map(([name, date]): Breach => ({
      name: 'wipeout',
      kind: 'wipeout',
      line: `${name} lost all its capital on ${date} and trades no more`,
      wipeout: { sleeve: name, date },
    })),
    ...described.filter((check) => check.status === 'fail').flatMap((check) => checkBreaches(check, checks, previousCopy?.restated)),
  ].sort((a, b) => BREACH_ORDER[a.kind] - BREACH_ORDER[b.kind]);
  const failing = (kind: CheckKind): number => breaches.filter((breach) => breach.kind === kind).length;
  const { freshness, restatements } = checks;
  return {
    date: asOf.date,
    periods: { day: portfolio.periods.day, mtd: portfolio.periods.mtd, ytd: portfolio.periods.ytd, '1y': portfolio.periods['1y'] },
    drawdown: {
      depth: portfolio.currentDrawdown,
      usd: portfolio.currentDrawdownUsd ?? 0,
      since: portfolio.drawdownStart,
      days: portfolio.daysUnderWater,
    },
    breaches,
    counts: {
      wipeouts: Object.keys(wipeouts).length,
      rules: failing('rule'),
      stale: freshness === undefined ? 0 : Object.values(freshness.strategies).filter((strategy) => strategy.stale).length,
      restated: restatements?.status === 'fail' ? restatements.strategies : 0,
      internal: failing('internal'),
    },
    passing: described.filter((check) => check.status === 'pass'),
    movers: { day: moversOf(attribution.periods.day), mtd: moversOf(attribution.periods.mtd) },
    newStrategies: previousCopy?.newStrategies ?? [],
  };
}

/**
 * A failing check as breaches: the data checks one line per strategy (issue 15: the manager acts
 * on each track record, and asks its developer about it by name), every other check its headline.
 */
function checkBreaches(check: CheckDescription, checks: MorningInput['checks'], restated: Record<string, RestatedStrategy> | undefined): Breach[] {
  const breach = (line: string): Breach => ({ name: check.name, kind: check.kind, line });
  if (check.name === 'freshness' && checks.freshness !== undefined) {
    return Object.entries(checks.freshness.strategies)
      .filter(([, strategy]) => strategy.stale)
      .map(([name, strategy]) => breach(`${name}: last row ${strategy.lastDate}, ${countOf(strategy.weekdaysBehind, 'weekday')} behind`));
  }
  if (check.name === 'restatements' && restated !== undefined) return Object.entries(restated).map(([name, strategy]) => breach(restatedLine(name, strategy)));
  return [breach(check.headline)];
}

/** "Alpha re-sent 3 past days, 2024-01-03 to 2024-01-05 (1 changed, 1 removed, 1 inserted); largest return change -0.10 % on 2024-01-04 (-2.00 % before, -2.10 % now)". */
export function restatedLine(name: string, strategy: RestatedStrategy): string {
  const { changed, removed, inserted, firstDate, lastDate, largestReturnChange: largest } = strategy;
  const days = changed + removed + inserted;
  const span = firstDate === lastDate ? `on ${firstDate}` : `${firstDate} to ${lastDate}`;
  const kinds = [changed > 0 ? `${changed} changed` : '', removed > 0 ? `${removed} removed` : '', inserted > 0 ? `${inserted} inserted` : ''].filter(Boolean).join(', ');
  const percent = (fraction: number): string => formatSignedPercent(fraction, 2);
  const change =
    largest === null
      ? 'no return changed'
      : `largest return change ${percent(largest.difference)} on ${isoDate(largest.date)} (${percent(largest.previous)} before, ${percent(largest.current)} now)`;
  return `${name} re-sent ${countOf(days, 'past day')}, ${span} (${kinds}); ${change}`;
}

/** The strategies' dollar P&L of a period, largest gains and largest losses; ties keep config order. */
export function moversOf(period: Attribution['periods'][PeriodName], shown = MOVERS_SHOWN): Movers {
  const movers = Object.entries(period?.strategies ?? {}).map(([name, pnlUsd]) => ({ name, pnlUsd }));
  return {
    top: movers.filter((mover) => mover.pnlUsd > 0).sort((a, b) => b.pnlUsd - a.pnlUsd).slice(0, shown),
    bottom: movers.filter((mover) => mover.pnlUsd < 0).sort((a, b) => a.pnlUsd - b.pnlUsd).slice(0, shown),
  };
}
