/**
 * The `monteCarlo` section of the config (SPEC 20, 21): how many bootstrap paths, how many days
 * ahead, how long the resampled blocks are, the seed, and where the resampled history starts.
 * Off unless set. `from` is checked against the calendar once the data is read.
 */
import { z } from 'zod';
import { isoDate, parseDate } from '#shared/dates.ts';
import type { InputError } from '#shared/problems.ts';
import { quoted } from '#shared/quoted.ts';
import { configError } from './configProblems.ts';
import { isoDateText } from './partBSchema.ts';

/** SPEC 20's ranges. */
export const MONTE_CARLO_LIMITS = { paths: 100_000, horizonDays: 2520, seed: Number.MAX_SAFE_INTEGER } as const;
/** Blocks of about a month of trading days, unless the horizon is shorter. */
const DEFAULT_BLOCK_DAYS = 21;

const wholeNumber = (maximum: number) => z.number().int().min(1).max(maximum);

/** The keys as written; `blockDays` is resolved against `horizonDays` below. */
export const monteCarloFields = z.object({
  paths: wholeNumber(MONTE_CARLO_LIMITS.paths).default(1000),
  horizonDays: wholeNumber(MONTE_CARLO_LIMITS.horizonDays).default(252),
  blockDays: z.number().int().min(1).optional(),
  seed: z.number().int().min(0).max(MONTE_CARLO_LIMITS.seed).default(1),
  from: isoDateText.nullable().default(null),
});

export const monteCarloSchema = monteCarloFields
  .superRefine((value, context) => {
    if (value.blockDays !== undefined && value.blockDays > value.horizonDays) {
      context.addIssue({ code: 'custom', input: value.blockDays, path: ['blockDays'], message: `must be <= monteCarlo.horizonDays ${value.horizonDays}` });
    }
  })
  .transform(({ paths, horizonDays, blockDays, seed, from }) => ({
    paths,
    horizonDays,
    blockDays: blockDays ?? Math.min(DEFAULT_BLOCK_DAYS, horizonDays),
    seed,
    from,
  }));

export type MonteCarloConfig = z.output<typeof monteCarloSchema>;

/** `from` must leave history to resample: `t0 <= from < T` on the calendar the data aligns on (a date between calendar dates is fine). */
export function monteCarloFromError(from: string, calendar: { first: number; last: number }, configFile: string): InputError | null {
  const parsed = parseDate(from, 'YYYY-MM-DD');
  if (!parsed.ok || (parsed.day >= calendar.first && parsed.day < calendar.last)) return null;
  return configError(
    configFile,
    'monteCarlo.from',
    `${quoted(from)} must be on or after the first date of the calendar (${isoDate(calendar.first)}) and before its last (${isoDate(calendar.last)}), so that there is history to resample`,
  );
}
