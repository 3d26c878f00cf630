/** The optimizer's loop (SPEC 13): proposes the first step's candidates, or chooses from a step's figures and proposes the next. */
import { chooseOptimizerStep, startOptimizer } from '../shared/pipeline/optimize.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { optimizerStepEventSchema } from './commons/runEvents.js';

/** Candidates beyond this many run in a Distributed Map, which reads them from S3: the state then carries none. */
const inlineLimit = Number(process.env['INLINE_MAP_LIMIT'] ?? '40');

export const handler = handlerFor(optimizerStepEventSchema, (event) =>
  event.action === 'start' ? startOptimizer(reportStorage(), event, inlineLimit) : chooseOptimizerStep(reportStorage(), event, inlineLimit),
);
