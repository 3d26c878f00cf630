/**
 * The run's data as the forward-risk bootstrap resamples it (SPEC 20): the scaled data and the
 * loop as configured, which calendar dates carry each strategy's row, and where the source dates
 * start (`monteCarlo.from`).
 */
import { pathCalendar } from '#shared/calc/blockBootstrap.ts';
import type { BootstrapSource } from '#shared/calc/bootstrapPaths.ts';
import type { MonteCarloSource } from '#shared/calc/monteCarloSummary.ts';
import { at } from '#shared/collections.ts';
import type { MonteCarloConfig } from '#shared/config/monteCarloSchema.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { isoDate, parseDate } from '#shared/dates.ts';
import type { TrackRecord } from '#shared/ingest/readTrackRecord.ts';
import { loopInputs, loopSettings } from './loopInputs.ts';
import type { ScaledData } from './scaledData.ts';

/** Per strategy, 1 on the calendar dates where its file has a row. */
export function rowsOnCalendar(calendar: Int32Array, records: readonly TrackRecord[]): Uint8Array[] {
  return records.map((record) => {
    const rows = new Uint8Array(calendar.length);
    let row = 0;
    for (let day = 0; day < calendar.length; day += 1) {
      while (row < record.dates.length && (record.dates[row] ?? 0) < (calendar[day] ?? 0)) row += 1;
      if (record.dates[row] === calendar[day]) rows[day] = 1;
    }
    return rows;
  });
}

/** The calendar index of the first source date: the first on or after `from` (the first date without one). */
function firstSourceDay(calendar: Int32Array, from: string | null): number {
  if (from === null) return 0;
  const parsed = parseDate(from, 'YYYY-MM-DD');
  const start = parsed.ok ? parsed.day : Number.NEGATIVE_INFINITY;
  const day = calendar.findIndex((date) => date >= start);
  return day === -1 ? calendar.length - 1 : day;
}

/** `rows`: `rowsOnCalendar` of the track records, all the bootstrap needs of them. */
export function bootstrapSource(config: PortfolioConfig, settings: MonteCarloConfig, scaledData: ScaledData, rows: readonly Uint8Array[]): BootstrapSource {
  const { calendar } = scaledData.aligned;
  const { strategies, accounts } = loopInputs(config, scaledData);
  const first = firstSourceDay(calendar, settings.from);
  return {
    config,
    calendar,
    strategies,
    rows,
    accounts,
    settings: loopSettings(config),
    firstSourceDay: first,
    shape: { horizonDays: settings.horizonDays, blockDays: settings.blockDays, seed: settings.seed, sourceDates: calendar.length - first },
  };
}

/** What the merge needs of the run's data, from its calendar alone: the source dates as montecarlo.json states them and the paths' dates. */
export function bootstrapDates(calendar: Int32Array, settings: MonteCarloConfig): { source: MonteCarloSource; pathDates: Int32Array } {
  return {
    source: sourceDates({ calendar, firstSourceDay: firstSourceDay(calendar, settings.from) }),
    pathDates: pathCalendar(at(calendar, calendar.length - 1), settings.horizonDays),
  };
}

/** The source dates as montecarlo.json states them: the first, the last, how many. */
function sourceDates({ calendar, firstSourceDay: first }: Pick<BootstrapSource, 'calendar' | 'firstSourceDay'>): MonteCarloSource {
  return { first: isoDate(at(calendar, first)), last: isoDate(at(calendar, calendar.length - 1)), dates: calendar.length - first };
}
