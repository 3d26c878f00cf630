/** Stage 1, Load+Validate: the run's input snapshot -> parsed columns and the resolved config. */
import { loadAndValidate } from '../shared/pipeline/loadAndValidate.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { runRequestSchema } from './commons/runEvents.js';

export const handler = handlerFor(runRequestSchema, ({ dataPrefix, workPrefix }) =>
  loadAndValidate(reportStorage(), { dataPrefix, workPrefix }),
);
