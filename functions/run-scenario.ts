/** A Map item of the Scenarios state: one scenario's day loop, its comparison entry and equity left in the work folder. */
import { runScenario, scenarioInputSchema } from '#shared/pipeline/runScenarios.ts';
import { reportStorage } from '#functions/commons/clients.ts';
import { handlerFor } from '#functions/commons/handler.ts';

export const handler = handlerFor(scenarioInputSchema, (item) => runScenario(reportStorage(), item));
