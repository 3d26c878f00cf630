/** The optimizer's loop (SPEC 13): proposes the first step's candidates, or chooses from a step's figures and proposes the next. */
import { chooseOptimizerStep, optimizerStepInputSchema, startOptimizer } from '#shared/pipeline/optimize.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';

/** Candidates beyond this many run in a Distributed Map, which reads them from S3: the state then carries none. */
const inlineLimit = Number(process.env['INLINE_MAP_LIMIT'] ?? '40');

export const handler = handlerFor(optimizerStepInputSchema, (event) =>
  event.action === 'start' ? startOptimizer(reportStorage(), event, inlineLimit) : chooseOptimizerStep(reportStorage(), event, inlineLimit),
);
