/** A Map item of an optimizer step: the day loop of the chosen set plus one strategy, in sample; its figures go to the work folder. */
import { evaluateCandidate } from '../shared/pipeline/optimize.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { candidateItemSchema } from './commons/runEvents.js';

export const handler = handlerFor(candidateItemSchema, (item) => evaluateCandidate(reportStorage(), item));
