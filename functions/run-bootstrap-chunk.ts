/** A Map item of the Monte Carlo state (SPEC 20): one chunk's paths, computed from the seed alone, their figures and equity left by key. */
import { monteCarloChunkInputSchema, runPlannedMonteCarloChunk } from '#shared/pipeline/monteCarlo.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';

export const handler = handlerFor(monteCarloChunkInputSchema, (item) => runPlannedMonteCarloChunk(reportStorage(), item));
