/** Stage 2, Align+Scale (SPEC 2-3): one calendar for every strategy, positions scaled to it. */
import { alignTrackRecords } from '#shared/calc/align.ts';
import { scalePositions } from '#shared/calc/scale.ts';
import { at } from '#shared/collections.ts';
import type { Storage } from '#shared/storage/storage.ts';
import { artifactKey, decodeTrackRecords, streamScaled, readBundle, readJson, type Validation } from './artifacts.ts';

export interface AlignInput {
  workPrefix: string;
}

export interface AlignOutput {
  scaledKey: string;
  dates: number;
  firstDate: number;
  lastDate: number;
}

export async function alignAndScale(storage: Storage, input: AlignInput): Promise<AlignOutput> {
  const { config } = await readJson<Validation>(storage, artifactKey(input.workPrefix, 'validation'));
  const records = await readBundle(storage, artifactKey(input.workPrefix, 'trackRecords'), decodeTrackRecords);
  const aligned = alignTrackRecords(records, config.alignment);
  const scaled = config.strategies.map((strategy, s) => scalePositions(at(aligned.series, s), strategy));
  const scaledKey = artifactKey(input.workPrefix, 'scaled');
  await storage.put(scaledKey, streamScaled({ aligned, scaled }));
  const { calendar } = aligned;
  return { scaledKey, dates: calendar.length, firstDate: calendar[0] ?? 0, lastDate: calendar[calendar.length - 1] ?? 0 };
}

