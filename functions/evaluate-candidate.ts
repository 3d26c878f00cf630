/** A Map item of an optimizer step: the day loop of the chosen set plus one strategy, in sample; its figures go to the work folder. */
import { evaluateCandidate } from '#shared/pipeline/optimize.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { candidateItemSchema } from '#functions/commons/runEvents.ts';

export const handler = handlerFor(candidateItemSchema, (item) => evaluateCandidate(reportStorage(), item));
