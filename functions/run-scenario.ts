/** A Map item of the Scenarios state: one scenario's day loop, its comparison entry and equity left in the work folder. */
import { runScenario } from '../shared/pipeline/runScenarios.js';
import { reportStorage } from './commons/clients.js';
import { handlerFor } from './commons/handler.js';
import { scenarioItemSchema } from './commons/runEvents.js';

export const handler = handlerFor(scenarioItemSchema, (item) => runScenario(reportStorage(), item));
