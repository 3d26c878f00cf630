/**
 * The restatement step of Load+Validate (SPEC 19.2): each configured strategy's CSV in the
 * previous copy of the inputs (a folder locally, the last published run's input snapshot in the
 * cloud, both named by a storage prefix) is read by section 1's rules with the current config's
 * `dateFormat` and `maxFileSizeBytes` and compared with the current one. A previous file that
 * cannot be read is a `previousUnreadable` warning naming its first error, and is skipped;
 * nothing else is reported about previous files. No config in the previous folder is read.
 */
import { restatementsSummary, compareTrackRecords, type RestatementsSummary, type TrackRecordRestatements } from '#shared/calc/restatements.ts';
import type { PortfolioConfig } from '#shared/config/schema.ts';
import type { TrackRecord } from '#shared/ingest/readTrackRecord.ts';
import { previousUnreadable } from '#shared/model/inputChecks.ts';
import type { PreviousCopyNotes } from '#shared/model/validation.ts';
import type { InputWarning } from '#shared/problems.ts';
import { restatementsCsv } from '#shared/report/restatementsCsv.ts';
import type { Storage } from '#shared/storage/storage.ts';
import { filesDirectlyIn, readInputCsv } from './readInputCsv.ts';

/** Where the previous copy of the inputs is, and how summary.json names it (SPEC 19.2's `LABEL`). */
export interface PreviousInputs {
  prefix: string;
  label: string;
}

export interface PreviousComparison {
  summary: RestatementsSummary;
  /** `previousUnreadable`, in config order. */
  warnings: InputWarning[];
  /** The text of `restatements.csv`. */
  csv: string;
  notes: PreviousCopyNotes;
  /**
   * Whether any strategy has a date after its previous copy's last (appended), or no readable
   * previous copy: false says a run only repeats the previous one's dates (issue 15: "no new data").
   */
  gainedDates: boolean;
}

/** `current`: the strategies' records as just read, in config order. */
export async function compareWithPrevious(
  storage: Storage,
  previous: PreviousInputs,
  config: PortfolioConfig,
  current: readonly TrackRecord[],
): Promise<PreviousComparison> {
  const previousFiles = await filesDirectlyIn(storage, previous.prefix);
  const warnings: InputWarning[] = [];
  const compared: { strategy: string; restatements: TrackRecordRestatements }[] = [];
  const newStrategies: string[] = [];
  for (const record of current) {
    const object = previousFiles.get(record.file);
    if (object === undefined) {
      newStrategies.push(record.strategy);
      continue;
    }
    const reading = await readInputCsv(storage, object, record.strategy, config);
    if (reading.record === null) {
      warnings.push(previousUnreadable(record.file, previous.label, reading.errors));
      continue;
    }
    const restatements = compareTrackRecords(reading.record, record);
    compared.push({ strategy: record.strategy, restatements });
  }
  return {
    summary: restatementsSummary(previous.label, compared),
    warnings,
    csv: restatementsCsv(compared),
    notes: { newStrategies, appended: Object.fromEntries(compared.map(({ strategy, restatements }) => [strategy, restatements.appended])), restated: restatedRows(compared) },
    gainedDates: newStrategies.length > 0 || warnings.length > 0 || compared.some(({ restatements }) => restatements.appended > 0),
  };
}

/** Each restated strategy's rows and where they are in `restatements.csv`: its rows follow the header in config order. */
function restatedRows(compared: readonly { strategy: string; restatements: TrackRecordRestatements }[]): PreviousCopyNotes['restated'] {
  const restated: PreviousCopyNotes['restated'] = {};
  let line = 2;
  for (const { strategy, restatements } of compared) {
    const { rows } = restatements;
    if (rows.length === 0) continue;
    restated[strategy] = { rows, lines: { first: line, last: line + rows.length - 1 } };
    line += rows.length;
  }
  return restated;
}
