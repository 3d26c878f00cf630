/**
 * The morning's facts (morningFacts.ts, SPEC 15-16) as plain text, phone first (issue 13): the
 * email's subject and first lines, the terminal's first lines. One fact a line, with its label in
 * words: no padded column, nothing that needs a monospace font or a width; names are never cut.
 */
import type { Results } from '#shared/model/results.ts';
import { firstFew } from './checkDescriptions.ts';
import { countOf, formatSignedPercent, formatSignedUsd, formatUsd } from './formatting.ts';
import { morningFacts, type AlertCounts, type Breach, type MorningFacts, type Movers } from './morningFacts.ts';
import { section, wrap } from './plainText.ts';

/** Breaches listed in words before "and N more": the first ones, enough to act on from a phone. */
export const BREACHES_SHOWN = 5;

export function morningFactsOf(results: Results): MorningFacts {
  return morningFacts({ asOf: results.asOf, attribution: results.attribution, checks: results.checks, wipeouts: results.wipeouts, previousCopy: results.previousCopy });
}

/** The alerts by kind, most urgent first: "1 wipe-out", "3 rule breaches", "2 stale", "1 restated", "1 internal check failed". */
export function alertCountsText(counts: AlertCounts): string[] {
  return [
    counts.wipeouts > 0 ? countOf(counts.wipeouts, 'wipe-out') : '',
    counts.rules > 0 ? countOf(counts.rules, 'rule breach', 'rule breaches') : '',
    counts.stale > 0 ? `${counts.stale} stale` : '',
    counts.restated > 0 ? `${counts.restated} restated` : '',
    counts.internal > 0 ? `${countOf(counts.internal, 'internal check')} failed` : '',
  ].filter(Boolean);
}

/** "+$12,345 (+1.1 %)": a period's dollar P&L and its time-weighted return (SPEC 15.2), never final / start - 1. */
export function pnlText(figures: { pnlUsd: number; return: number } | null): string {
  return figures === null ? 'n/a' : `${formatSignedUsd(figures.pnlUsd)} (${formatSignedPercent(figures.return)})`;
}

/**
 * The portfolio today: its day, month and year to date and since inception (with its equity
 * now), its drawdown now, the breaches (the first ones in words) and the checks that pass in one
 * line, then the day's movers.
 */
export function morningLines(facts: MorningFacts, inception: { pnlUsd: number; return: number } | null, equity: number): string[] {
  const { periods, drawdown } = facts;
  return [
    `Portfolio on ${facts.date}`,
    `Day: ${pnlText(periods.day)}`,
    `Month to date: ${pnlText(periods.mtd)}`,
    `Year to date: ${pnlText(periods.ytd)}`,
    ...wrap(`Since inception: ${pnlText(inception)}, equity ${formatUsd(equity)}`, '', '  '),
    ...wrap(
      drawdown.since === null
        ? 'Drawdown now: none, at a peak'
        : `Drawdown now: ${formatSignedPercent(drawdown.depth)} (${formatSignedUsd(-drawdown.usd)}) since ${drawdown.since}, ${countOf(drawdown.days, 'day')}`,
      '',
      '  ',
    ),
    '',
    ...checkLines(facts),
    ...(facts.newStrategies.length === 0 ? [] : wrap(`New since the previous copy of the inputs: ${firstFew(facts.newStrategies)}`, '', '  ')),
    // The day's movers only: the month's are on the page, and at 200 long names they would double these lines.
    ...section(moverLines('today', facts.movers.day)),
  ];
}

/** The breaches (count by kind, the first ones in words) and the passing checks in one line. */
function checkLines({ breaches, counts, passing }: MorningFacts): string[] {
  const names = passing.map((check) => check.name).join(', ');
  if (breaches.length === 0) return wrap(`All ${countOf(passing.length, 'check')} pass: ${names}`, '', '  ');
  const lines = breachLines(breaches);
  return [
    `${alertCountsText(counts).join(', ')}:`,
    ...lines.slice(0, BREACHES_SHOWN).flatMap((line) => wrap(`- ${line}`, '', '  ')),
    ...(lines.length > BREACHES_SHOWN ? [`- and ${lines.length - BREACHES_SHOWN} more in the report`] : []),
    ...(passing.length === 0 ? [] : wrap(`Passing: ${names}`, '', '  ')),
  ];
}

/** One line per breach; wipe-outs in one line, so that many of them do not hide the rules after them. */
function breachLines(breaches: readonly Breach[]): string[] {
  const wipeouts = breaches.filter((breach) => breach.kind === 'wipeout');
  const others = breaches.filter((breach) => breach.kind !== 'wipeout').map((breach) => breach.line);
  if (wipeouts.length <= 1) return [...wipeouts.map((breach) => breach.line), ...others];
  const shown = 3;
  const named = wipeouts.slice(0, shown).map((breach) => `${breach.wipeout?.sleeve ?? ''} on ${breach.wipeout?.date ?? ''}`);
  const more = wipeouts.length > shown ? ` and ${wipeouts.length - shown} more` : '';
  return [`${wipeouts.length} sleeves lost all their capital and trade no more: ${named.join(', ')}${more}`, ...others];
}

function moverLines(when: string, { top, bottom }: Movers): string[] {
  const list = (movers: Movers['top']): string => movers.map((mover) => `${mover.name} ${formatSignedUsd(mover.pnlUsd)}`).join(', ');
  return [
    ...(top.length === 0 ? [] : wrap(`Best ${when}: ${list(top)}`, '', '  ')),
    ...(bottom.length === 0 ? [] : wrap(`Worst ${when}: ${list(bottom)}`, '', '  ')),
  ];
}
