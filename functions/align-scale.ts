/** Stage 2, Align+Scale: one calendar, positions scaled to whole increments within capital. */
import { alignAndScale, alignInputSchema } from '#shared/pipeline/alignAndScale.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';

export const handler = handlerFor(alignInputSchema, (input) => alignAndScale(reportStorage(), input));
