/** Stage 1, Load+Validate: the run's input snapshot -> parsed columns and the resolved config. */
import { loadAndValidate } from '#shared/pipeline/loadAndValidate.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { runRequestSchema } from '#functions/commons/runEvents.ts';

export const handler = handlerFor(runRequestSchema, ({ dataPrefix, workPrefix }) =>
  loadAndValidate(reportStorage(), { dataPrefix, workPrefix }),
);
