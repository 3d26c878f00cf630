/**
 * The strategies on one calendar with their positions scaled (SPEC 2-3): what Align+Scale leaves
 * and every day loop (the run, its scenarios, the optimizer's sets, the bootstrap's paths) reads.
 */
import { alignTrackRecords, type AlignedData, type AlignedSeries } from '#shared/calc/align.ts';
import { newScaledSeries, scalePositions, type ScaledSeries } from '#shared/calc/scale.ts';
import { at } from '#shared/collections.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import type { TrackRecord } from '#shared/ingest/readTrackRecord.ts';

export interface ScaledData {
  aligned: AlignedData;
  /** In config order. */
  scaled: ScaledSeries[];
}

/** What the data files show of it beside the ledger: each strategy's input as aligned and its implied units. */
export interface InputData {
  aligned: AlignedData;
  scaled: readonly Pick<ScaledSeries, 'impliedUnits'>[];
}

/** What the day loop and the run's results read of it: the calendar, each strategy's span and scaled columns, not its input as aligned. */
export interface LoopData {
  aligned: { calendar: Int32Array; series: readonly Pick<AlignedSeries, 'spanStart' | 'spanEnd'>[] };
  scaled: readonly ScaledSeries[];
}

export function alignAndScaleRecords(records: readonly TrackRecord[], config: PortfolioConfig): ScaledData {
  const aligned = alignTrackRecords(records, config.alignment);
  const scaled = newScaledSeries(config.strategies.length, aligned.calendar.length);
  return { aligned, scaled: config.strategies.map((strategy, s) => scalePositions(at(aligned.series, s), strategy, at(scaled, s))) };
}

/** The calendar's length and ends (day numbers; 0 on an empty calendar): what the notice says of the dates. */
export function calendarExtent({ aligned: { calendar } }: ScaledData): { dates: number; firstDate: number; lastDate: number } {
  return { dates: calendar.length, firstDate: calendar[0] ?? 0, lastDate: calendar[calendar.length - 1] ?? 0 };
}
