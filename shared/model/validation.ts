/**
 * What Load+Validate found (SPEC 1, 17, 19.2): the resolved config, the warnings, and each input
 * file as read. Every later stage and the report read the run's config from here.
 */
import type { Restatement, RestatementsSummary } from '#shared/calc/restatements.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import type { TrackRecord } from '#shared/ingest/readTrackRecord.ts';
import type { InputWarning } from '#shared/problems.ts';

/** An input file as summary.json lists it. */
export interface InputFile {
  file: string;
  sha256: string;
  rows: number;
}

export interface Validation {
  configFile: string;
  config: PortfolioConfig;
  warnings: InputWarning[];
  inputs: InputFile[];
  /** SPEC 19.2, when a previous copy of the inputs was compared (its rows are the `restatements` artifact). */
  restatements?: RestatementsSummary;
  /** Beside it, what the pages and the email say about the previous copy (not in summary.json). */
  previousCopy?: PreviousCopyNotes;
  /**
   * With a previous copy compared: true when no strategy gained a date since it and the config is
   * the same file, so the run repeats the previous one's day (the email says "no new data"; not in summary.json).
   */
  nothingNew?: boolean;
}

/** Issue 15: the strategies new since the previous copy, and each restated strategy's rows of `restatements.csv`. */
export interface PreviousCopyNotes {
  /** Configured strategies with a CSV now and none in the previous copy, in config order. */
  newStrategies: string[];
  /** Per compared strategy, its dates after the previous copy's last date (SPEC 19.2's `appended`). */
  appended: Record<string, number>;
  /** Per restated strategy (config order), its rows and the lines they take in `restatements.csv` (the header is line 1). */
  restated: Record<string, { rows: Restatement[]; lines: { first: number; last: number } }>;
}

export function inputFile({ file, sha256, rows }: TrackRecord): InputFile {
  return { file, sha256, rows };
}

/** The rows of the strategies' files together: what Load+Validate reports it read. */
export function strategyRows(records: readonly TrackRecord[]): number {
  return records.reduce((sum, record) => sum + record.rows, 0);
}
