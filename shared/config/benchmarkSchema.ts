/**
 * The optional benchmark of the config (SPEC 17, 21): a name to show and the file of its daily
 * returns, a `.csv` file name in the data folder (no folder: the data folder is the run's
 * snapshot, in the cloud too).
 */
import { z } from 'zod';

export const benchmarkSchema = z.object({
  name: z.string().min(1),
  file: z
    .string()
    .min(1)
    .refine((file) => !/[/\\]/.test(file), { message: 'must be a file name in the data folder, without a folder' })
    .refine((file) => file.endsWith('.csv'), { message: 'must be the name of a .csv file' }),
});

export type BenchmarkConfig = z.output<typeof benchmarkSchema>;
