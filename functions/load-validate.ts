/** Stage 1, Load+Validate: the run's input snapshot -> parsed columns and the resolved config. */
import { loadAndValidate, loadInputSchema } from '#shared/pipeline/loadAndValidate.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';

export const handler = handlerFor(loadInputSchema, (input) => loadAndValidate(reportStorage(), input));
