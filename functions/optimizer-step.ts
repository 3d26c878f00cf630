/** The optimizer's loop (SPEC 13): proposes the first step's candidates, or chooses from a step's figures and proposes the next. */
import { chooseOptimizerStep, startOptimizer } from '../shared/pipeline/optimize.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { optimizerStepEventSchema } from './commons/runEvents.js';

export const handler = handlerFor(optimizerStepEventSchema, (event) =>
  event.action === 'start' ? startOptimizer(reportStorage(), event) : chooseOptimizerStep(reportStorage(), event),
);
