/** Stage 2, Align+Scale: one calendar, positions scaled to whole increments within capital. */
import { alignAndScale } from '#shared/pipeline/alignAndScale.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { runRequestSchema } from '#functions/commons/runEvents.ts';

export const handler = handlerFor(runRequestSchema, ({ workPrefix }) => alignAndScale(reportStorage(), { workPrefix }));
