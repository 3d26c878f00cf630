/**
 * Starts a run. Triggers: batches of S3 "Object Created" events under incoming/ (EventBridge ->
 * SQS), the quiet check they arm, the nightly schedule, or a manual invoke
 * (`{"trigger":"manual","command":"optimize"}` starts the optimizer's state machine instead).
 * An upload runs once `incoming/` has been quiet for the window (or `_DONE` was written last):
 * every event only looks at `incoming/` and moves the one-time quiet check later, so an upload
 * of any size makes one run, and a re-delivered event names a run that exists and starts nothing.
 * The nightly run starts an upload that completed unseen, or else a short "no new data" notice.
 */
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ConflictException, CreateScheduleCommand, ResourceNotFoundException, UpdateScheduleCommand, type CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { runIdFor, type Command, type Trigger } from '#shared/pipeline/runId.ts';
import { INCOMING_PREFIX, manifestKey, runPrefixes } from '#shared/storage/bucketLayout.ts';
import { observeUpload, prepareRun, takeSnapshot, uploadRunId, type RunRequest, type UploadObservation } from '#shared/pipeline/startRun.ts';
import { clock } from '#functions/commons/clock.ts';
import { reportStorage, schedulerClient, sfnClient } from '#functions/commons/clients.ts';
import { requiredEnvironment } from '#functions/commons/environment.ts';
import { handlerFor } from '#functions/commons/handler.ts';
import { logger } from '#functions/commons/powertools.ts';

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
  z.object({ trigger: z.literal('quietCheck') }),
  z.object({ trigger: z.literal('schedule'), scheduledTime: z.iso.datetime({ offset: true }) }),
  z.object({ trigger: z.literal('manual'), command: z.enum(['run', 'optimize']).default('run') }),
]);

export type StartResult =
  | { started: true; runId: string; executionArn: string; inputs: number }
  | { started: false; reason: string; quietCheckAt?: string };

export const handler = handlerFor(startEventSchema, async (event, context): Promise<StartResult> => {
  const now = clock.now();
  if ('Records' in event || event.trigger === 'quietCheck') {
    const observation = await observeUpload(reportStorage(), now, quietWindowSeconds());
    return startCompleteUpload(observation, 'upload', now, context);
  }
  if (event.trigger === 'schedule') {
    const scheduledAt = new Date(event.scheduledTime);
    const observation = await observeUpload(reportStorage(), now, quietWindowSeconds());
    const started = await startCompleteUpload(observation, 'schedule', scheduledAt, context);
    if (started.started) return started;
    return startUnchangedNotice(observation, scheduledAt);
  }
  const prepared = await prepareRun(reportStorage(), 'manual', now, event.command);
  if (!prepared.taken) return { started: false, reason: prepared.reason };
  return start(prepared.request, prepared.inputs.length);
});

function quietWindowSeconds(): number {
  return Number(process.env['QUIET_WINDOW_SECONDS'] ?? '60');
}

/** A complete upload is snapshotted and started; one still arriving moves the quiet check to its end. */
async function startCompleteUpload(observation: UploadObservation, trigger: Trigger, at: Date, context: Context): Promise<StartResult> {
  if (observation.state === 'empty') return { started: false, reason: `nothing to run: no CSV or portfolio config in ${INCOMING_PREFIX}` };
  if (observation.state === 'arriving') {
    await armQuietCheck(observation.checkAt, context);
    return { started: false, reason: `${INCOMING_PREFIX} changed at ${observation.changedAt.toISOString()}: waiting until it has been quiet`, quietCheckAt: observation.checkAt.toISOString() };
  }
  const snapshot = await takeSnapshot(reportStorage(), observation.incoming, {
    runId: uploadRunId(observation.incoming, trigger, at),
    trigger,
    command: 'run',
    uploadCompletedAt: observation.completedAt,
  });
  if (!snapshot.taken) {
    await armQuietCheck(new Date(clock.now().getTime() + quietWindowSeconds() * 1000), context);
    return { started: false, reason: snapshot.reason };
  }
  const started = await start(snapshot.request, snapshot.inputs.length);
  // StartExecution answers a running execution of the same name and input with that execution:
  // a snapshot that existed means this upload's run was started before.
  if (started.started && snapshot.existing === true) return { started: false, reason: `run ${snapshot.request.runId} already exists for this upload` };
  return started;
}

/** A night on which no new upload completed: a notice saying so, and what `latest/` shows. */
async function startUnchangedNotice(observation: UploadObservation, at: Date): Promise<StartResult> {
  const hash = observation.state === 'empty' ? 'empty' : observation.incoming.fingerprint;
  const runId = runIdFor('schedule', hash, at, 'unchanged');
  const lastRunId = observation.state === 'empty' ? null : uploadRunId(observation.incoming, 'upload', at);
  const lastRan = lastRunId !== null && (await reportStorage().getTagged(manifestKey(lastRunId))) !== null;
  const request: RunRequest = { runId, trigger: 'schedule', command: 'unchanged', ...runPrefixes(runId), uploadCompletedAt: at.toISOString() };
  return start({ ...request, incoming: { arrivingSince: observation.state === 'arriving' ? observation.changedAt.toISOString() : null, lastRunId: lastRan ? lastRunId : null } }, 0);
}

async function start(request: RunRequest & { incoming?: unknown }, inputs: number): Promise<StartResult> {
  const command: Command = request.command;
  try {
    const execution = await sfnClient().send(
      new StartExecutionCommand({
        stateMachineArn: requiredEnvironment(command === 'optimize' ? 'OPTIMIZE_STATE_MACHINE_ARN' : 'STATE_MACHINE_ARN'),
        name: request.runId,
        input: JSON.stringify(request),
      }),
    );
    logger.info('run started', { runId: request.runId, command, inputs });
    return { started: true, runId: request.runId, executionArn: execution.executionArn ?? '', inputs };
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    logger.info('run already exists: nothing to start', { runId: request.runId });
    return { started: false, reason: `run ${request.runId} already exists for this upload` };
  }
}

/**
 * The one-time EventBridge Scheduler schedule that calls the starter back when the window ends:
 * each look that finds `incoming/` changed moves it later (a debounce), and it deletes itself
 * after firing. Its 60-second precision only ever makes a run start later, never earlier.
 */
async function armQuietCheck(checkAt: Date, context: Context): Promise<void> {
  const at = new Date(Math.ceil(checkAt.getTime() / 1000) * 1000).toISOString().slice(0, 19);
  const definition: CreateScheduleCommandInput = {
    Name: requiredEnvironment('QUIET_CHECK_SCHEDULE'),
    GroupName: requiredEnvironment('QUIET_CHECK_GROUP'),
    ScheduleExpression: `at(${at})`,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: {
      Arn: context.invokedFunctionArn.split(':').slice(0, 7).join(':'),
      RoleArn: requiredEnvironment('SCHEDULER_ROLE_ARN'),
      Input: JSON.stringify({ trigger: 'quietCheck' }),
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: requiredEnvironment('SCHEDULE_DEAD_LETTER_ARN') },
    },
  };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await schedulerClient().send(new UpdateScheduleCommand(definition));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    try {
      await schedulerClient().send(new CreateScheduleCommand(definition));
      return;
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error; // created by another starter meanwhile: update it
    }
  }
}
