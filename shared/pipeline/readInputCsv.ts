/**
 * One CSV of the inputs read from storage by SPEC 1.1's rules (a strategy's, the benchmark's of
 * SPEC 17, or a previous copy of SPEC 19.2): its size checked against `maxFileSizeBytes` before
 * a byte is read, then parsed into date-sorted columns.
 */
import type { PortfolioConfig } from '#shared/config/schema.ts';
import { readTrackRecord, type TrackRecordReading } from '#shared/ingest/readTrackRecord.ts';
import { TRACK_RECORD_COLUMNS, type TrackRecordColumn } from '#shared/ingest/trackRecordColumns.ts';
import { fileSizeError } from '#shared/model/inputChecks.ts';
import { baseName, type Storage, type StoredObject } from '#shared/storage/storage.ts';

export async function readInputCsv(
  storage: Storage,
  object: StoredObject,
  name: string,
  config: Pick<PortfolioConfig, 'dateFormat' | 'maxFileSizeBytes'>,
  columns: readonly TrackRecordColumn[] = TRACK_RECORD_COLUMNS,
): Promise<TrackRecordReading> {
  const file = baseName(object.key);
  const tooLarge = fileSizeError(file, object.size, config.maxFileSizeBytes);
  if (tooLarge !== null) return { record: null, errors: [tooLarge], warnings: [] };
  return readTrackRecord(name, file, await storage.get(object.key), config.dateFormat, 'auto', columns);
}

/** The objects directly inside a prefix (not in its sub-folders), by file name. */
export async function filesDirectlyIn(storage: Storage, prefix: string): Promise<Map<string, StoredObject>> {
  const folder = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  const objects = await storage.list(folder);
  return new Map(objects.filter(({ key }) => !key.slice(folder.length).includes('/')).map((object) => [baseName(object.key), object]));
}
