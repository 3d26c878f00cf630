/** Stage 2, Align+Scale: one calendar, positions scaled to whole increments within capital. */
import { alignAndScale } from '../shared/pipeline/alignAndScale.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { runRequestSchema } from './commons/runEvents.js';

export const handler = handlerFor(runRequestSchema, ({ workPrefix }) => alignAndScale(reportStorage(), { workPrefix }));
