/**
 * What the chart and page stages read (SPEC 6), chunk by chunk: the run's small JSON artifacts
 * and, from the column bundles, only the series of a chunk's own levels, so that a chunk's memory
 * does not grow with the portfolio.
 */
import type { LedgerMeta } from '#shared/model/runSeries.ts';
import type { Results } from '#shared/model/results.ts';
import type { Validation } from '#shared/model/validation.ts';
import type { ReportSource } from '#shared/report/reportLevels.ts';
import { joinKey, type Storage } from '#shared/storage/storage.ts';
import { artifactKey, readJson } from './artifacts.ts';
import { readBundleColumns, readBundleLayout } from './columnBundle.ts';

/** The chunks as the items of a Distributed Map, written beside the run's other artifacts. */
export function chunkItemsKey(workPrefix: string): string {
  return joinKey(workPrefix, 'report-chunks.json');
}

/** The run's JSON artifacts, the calendar and spans, and the named stored series. */
export async function readReportSource(storage: Storage, workPrefix: string, columns: Iterable<string>): Promise<ReportSource> {
  const ranged = (key: string) => (start: number, end: number) => storage.getRange(key, start, end);
  const scaledKey = artifactKey(workPrefix, 'scaled');
  const ledgerKey = artifactKey(workPrefix, 'ledger');
  const scaledLayout = await readBundleLayout<{ spanStart: number; spanEnd: number }[]>(ranged(scaledKey));
  const calendar = (await readBundleColumns(ranged(scaledKey), scaledLayout, ['calendar'])).columns.get('calendar') as Int32Array;
  const ledgerLayout = await readBundleLayout<LedgerMeta>(ranged(ledgerKey));
  const read = (await readBundleColumns(ranged(ledgerKey), ledgerLayout, columns)).columns;
  return {
    validation: await readJson<Validation>(storage, artifactKey(workPrefix, 'validation')),
    results: await readJson<Results>(storage, artifactKey(workPrefix, 'results')),
    calendar,
    spans: scaledLayout.meta,
    ledger: ledgerLayout.meta,
    column(name) {
      const found = read.get(name);
      if (found === undefined) throw new Error(`the ledger column ${name} was not read for this part of the report`);
      return found as Float64Array;
    },
  };
}
