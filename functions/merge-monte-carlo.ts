/** Merge Monte Carlo (SPEC 20): the chunks in order -> montecarlo.json and the fan CSV in the work folder, for Write data files. */
import { mergeMonteCarlo, mergeMonteCarloInputSchema } from '#shared/pipeline/monteCarlo.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';

export const handler = handlerFor(mergeMonteCarloInputSchema, ({ workPrefix, monteCarlo }) => mergeMonteCarlo(reportStorage(), { workPrefix, chunks: monteCarlo.chunks }));
