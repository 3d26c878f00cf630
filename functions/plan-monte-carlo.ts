/** Plan Monte Carlo (SPEC 20): the bootstrap's chunks of paths as Map items, in the state and in S3; none unless the config sets monteCarlo. */
import { planMonteCarlo, planMonteCarloInputSchema } from '#shared/pipeline/monteCarlo.ts';
import { MONTE_CARLO_CHUNK_PATHS } from '#shared/model/monteCarloChunks.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';

export const handler = handlerFor(planMonteCarloInputSchema, (input) =>
  planMonteCarlo(reportStorage(), input, MONTE_CARLO_CHUNK_PATHS, Number(process.env['INLINE_MAP_LIMIT'] ?? '40')),
);
