/** A Map item of an optimizer step: the day loop of the chosen set plus one strategy, in sample; its figures go to the work folder. */
import { candidateInputSchema, evaluateCandidate } from '#shared/pipeline/optimize.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';

export const handler = handlerFor(candidateInputSchema, (item) => evaluateCandidate(reportStorage(), item));
