/**
 * Starts a run. Triggers: a batch of S3 "Object Created" events under incoming/ (EventBridge ->
 * SQS, batched over a window, so files uploaded together make one run), the nightly schedule,
 * or a manual invoke (`{"trigger":"manual","command":"optimize"}` starts the optimizer's state
 * machine instead). The run is named after the content of incoming/, so a re-delivered event
 * or a second upload of identical files starts nothing new.
 */
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { INCOMING_PREFIX, isRunInput, type Command, type Trigger } from '../shared/pipeline/runId.js';
import { prepareRun } from '../shared/pipeline/startRun.js';
import { reportStorage, sfnClient } from './commons/clients.js';
import { requiredEnvironment } from './commons/environment.js';
import { handlerFor } from './commons/handler.js';
import { logger } from './commons/powertools.js';

export const objectCreatedSchema = z.object({
  'detail-type': z.literal('Object Created'),
  source: z.literal('aws.s3'),
  detail: z.object({ bucket: z.object({ name: z.string() }), object: z.object({ key: z.string() }) }),
});

export const startEventSchema = z.union([
  z.object({
    Records: z
      .array(z.object({ eventSource: z.literal('aws:sqs'), body: z.string() }))
      .min(1)
      .transform((records) => records.map((record) => objectCreatedSchema.parse(JSON.parse(record.body)))),
  }),
  z.object({ trigger: z.literal('schedule'), scheduledTime: z.iso.datetime({ offset: true }) }),
  z.object({ trigger: z.literal('manual'), command: z.enum(['run', 'optimize']).default('run') }),
]);

export type StartResult = { started: true; runId: string; executionArn: string; inputs: string[] } | { started: false; reason: string };

export const handler = handlerFor(startEventSchema, async (event): Promise<StartResult> => {
  let trigger: Trigger;
  let command: Command = 'run';
  let at = new Date();
  if ('Records' in event) {
    const keys = event.Records.map((record) => record.detail.object.key);
    if (!keys.some((key) => key.startsWith(INCOMING_PREFIX) && isRunInput(key.slice(INCOMING_PREFIX.length)))) {
      return { started: false, reason: `no strategy CSV or config among the uploaded keys: ${keys.join(', ')}` };
    }
    trigger = 'upload';
  } else if (event.trigger === 'schedule') {
    trigger = 'schedule';
    at = new Date(event.scheduledTime);
  } else {
    trigger = 'manual';
    command = event.command;
  }

  const prepared = await prepareRun(reportStorage(), trigger, at, command);
  if (!prepared.ready) return { started: false, reason: prepared.reason };
  const { request } = prepared;
  try {
    const execution = await sfnClient().send(
      new StartExecutionCommand({ stateMachineArn: requiredEnvironment(command === 'optimize' ? 'OPTIMIZE_STATE_MACHINE_ARN' : 'STATE_MACHINE_ARN'), name: request.runId, input: JSON.stringify(request) }),
    );
    logger.info('run started', { runId: request.runId, trigger, command, inputs: prepared.inputs });
    return { started: true, runId: request.runId, executionArn: execution.executionArn ?? '', inputs: prepared.inputs };
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    logger.info('run already exists: nothing to start', { runId: request.runId });
    return { started: false, reason: `run ${request.runId} already exists for these inputs` };
  }
});
