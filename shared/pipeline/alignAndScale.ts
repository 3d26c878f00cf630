/** Stage 2, Align+Scale (SPEC 2-3): one calendar for every strategy, positions scaled to it. */
import type { z } from 'zod';
import { alignAndScaleRecords, calendarExtent } from '#shared/model/scaledData.ts';
import type { Validation } from '#shared/model/validation.ts';
import type { Storage } from '#shared/storage/storage.ts';
import { artifactKey, decodeTrackRecords, streamScaled, readBundle, readJson } from './artifacts.ts';
import { workInputSchema } from './stageInputs.ts';
import type { AlignOutput } from './stageOutputs.ts';

export const alignInputSchema = workInputSchema;
export type AlignInput = z.infer<typeof alignInputSchema>;


export async function alignAndScale(storage: Storage, input: AlignInput): Promise<AlignOutput> {
  const { config } = await readJson<Validation>(storage, artifactKey(input.workPrefix, 'validation'));
  const records = await readBundle(storage, artifactKey(input.workPrefix, 'trackRecords'), decodeTrackRecords);
  const scaledData = alignAndScaleRecords(records, config);
  const scaledKey = artifactKey(input.workPrefix, 'scaled');
  await storage.put(scaledKey, streamScaled(scaledData));
  return { scaledKey, ...calendarExtent(scaledData) };
}

