/**
 * The stack deployed into moto_server, as far as moto can hold it: the bucket with EventBridge
 * notifications, the rule from the synthesized template feeding the uploads queue, the SNS topic
 * with an SQS subscription (what an email subscriber would receive), the quiet-check schedule
 * group, and both state machines (run, optimize) registered with their real definitions. moto
 * cannot run Task states, so the harness plays Lambda and the schedulers:
 * - it delivers the queued S3 events to the real starter in batches of 100, as the SQS event
 *   source would, and fires the one-time schedules the starter armed once the test's clock
 *   passes them (time is the test's: `advance(seconds)` moves it, nothing waits);
 * - it executes each execution the starter created with aws-local-stepfunctions, every Task run
 *   by its real handler, retries without their pauses; a Distributed Map's ItemReader and
 *   ResultWriter are emulated (items read from S3, the children run as the Map's processor, the
 *   manifest written where ResultWriter writes it);
 * - it injects faults into a chosen Task (S3 403 or network timeout, Lambda throttling, SNS
 *   throttling, a timeout after the handler ran), can hold a Task until released (to interleave
 *   executions), and records the size of every state's input and output.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutBucketNotificationConfigurationCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleGroupCommand, DeleteScheduleCommand, GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateTopicCommand, SNSClient, SNSServiceException, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { StateMachine } from 'aws-local-stepfunctions';
import type { Template } from 'aws-cdk-lib/assertions';
import { lambdaContext } from '#scripts/invoke.ts';
import { clock } from '#functions/commons/clock.ts';
import { s3Client, snsClient } from '#functions/commons/clients.ts';
import { eachLimited } from '#shared/storage/storage.ts';
import { pointHandlersAt, startMotoServer, type MotoServer } from './motoServer.ts';
import { REGION, resolvedDefinition, stackTokens, synthesizedTemplate, type MachineName } from './synthesizedStack.ts';

export interface Notification {
  subject: string;
  message: string;
}

/** A run's subject when every check passes: its date and the day's P&L and return, no run id (issue 13). */
export const ALL_CHECKS_PASS = /^Portfolio \d{4}-\d\d-\d\d: (\$0|[-+]\$[\d,]+) \([-+]?\d+\.\d %\) day, all checks pass$/;

/** The run a notice is about: a failure notice names it in its subject, a run's email in its line `Run ID: ...`. */
export function noticedRun({ subject, message }: Notification): string | null {
  return /\(run ([^)]+)\)$/.exec(subject)?.[1] ?? /^Run (\S+): /m.exec(message)?.[1] ?? null;
}

export interface ExecutionOutcome {
  name: string;
  status: 'SUCCEEDED' | 'FAILED';
  output: unknown;
  error: string | null;
}

/** A fault the harness injects into the Tasks of one state (and one execution, if named). */
export interface Fault {
  state: string;
  execution?: string;
  kind: 's3-403' | 's3-timeout' | 'lambda-throttle' | 'sns-throttle' | 'timeout-after-success';
  /** How many calls fail; by default all. */
  times?: number;
  /** Calls that pass before the first failure (the 4th copy: 3). */
  after?: number;
}

/** The largest payloads seen, per state: what Step Functions would carry (input, output, task event and result). */
export type PayloadSizes = Map<string, number>;

type Handler = (event: unknown, context: Context) => Promise<unknown>;
type RunOptions = NonNullable<Parameters<StateMachine['run']>[1]>;
type LocalTaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type Json = Record<string, unknown>;

export interface LocalCloud {
  bucket: string;
  s3: S3Client;
  /** The test's clock: what `clock.now()` returns in every handler. */
  now(): Date;
  /** Moves the clock and fires every one-time schedule due by then; returns what the starter answered. */
  advance(seconds: number): Promise<unknown[]>;
  upload(files: Record<string, string | Uint8Array>, prefix?: string): Promise<void>;
  /** Hands every queued S3 event to the starter, in batches of at most 100 as the event source would. */
  deliverUploads(): Promise<unknown[]>;
  /** The nightly schedule firing now. */
  nightly(): Promise<unknown>;
  /** When the quiet check is armed to fire, or null. */
  quietCheckAt(): Promise<Date | null>;
  /** Runs every execution the starter created that has not run yet, one after the other or all at once. */
  runNewExecutions(options?: { concurrently?: boolean }): Promise<ExecutionOutcome[]>;
  executionNames(): Promise<string[]>;
  /** Everything published to the topic since the last call, as the SQS subscriber received it. */
  notifications(): Promise<Notification[]>;
  keys(prefix: string): Promise<string[]>;
  text(key: string): Promise<string>;
  bytes(key: string): Promise<Uint8Array>;
  /** Invokes a handler as Lambda would, e.g. the starter with `{"trigger":"manual","command":"optimize"}`. */
  invoke(name: string, event: unknown): Promise<unknown>;
  /** Faults from now on; `clearFaults` ends them. */
  inject(fault: Fault): void;
  clearFaults(): void;
  /** Holds the first Task of `state` (in `execution`, if named) until `release` is called; `reached` resolves when it is held. */
  holdBefore(state: string, execution?: string): { reached: Promise<void>; release: () => void };
  /** The largest payload per state across the executions run so far. */
  payloadSizes: PayloadSizes;
}

/** Where handler code runs: which execution and state, for the fault middleware. */
const taskScope = new AsyncLocalStorage<{ execution: string; state: string }>();

export const QUIET_WINDOW_SECONDS = 60;
const QUIET_CHECK_GROUP = 'quiet-checks';

export async function deployLocally(moto: MotoServer, template: Template, start: Date = new Date('2026-11-20T09:00:00Z')): Promise<LocalCloud> {
  const bucket = 'portfolio-combiner-reports';
  const config = pointHandlersAt(moto, bucket, REGION);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const sfn = new SFNClient(config);
  const scheduler = new SchedulerClient(config);
  const events = new EventBridgeClient(config);
  let simulated = start.getTime();
  clock.now = () => new Date(simulated);

  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: { EventBridgeConfiguration: {} } }));

  const queue = async (name: string): Promise<{ url: string; arn: string }> => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    return { url, arn: attributes.Attributes?.['QueueArn'] ?? '' };
  };
  const uploads = await queue('uploads');
  const rule = Object.values(template.findResources('AWS::Events::Rule'))[0] as { Properties: { EventPattern: unknown } };
  const pattern = JSON.stringify(rule.Properties.EventPattern).replace(/\{"Ref":"[A-Za-z0-9]+"\}/g, JSON.stringify(bucket));
  await events.send(new PutRuleCommand({ Name: 'object-created', EventPattern: pattern }));
  await events.send(new PutTargetsCommand({ Rule: 'object-created', Targets: [{ Id: 'uploads', Arn: uploads.arn }] }));

  const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'portfolio-combiner' }))).TopicArn ?? '';
  const inbox = await queue('email-inbox');
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: inbox.arn }));
  const scheduleDeadLetters = await queue('schedule-dead-letters');
  await scheduler.send(new CreateScheduleGroupCommand({ Name: QUIET_CHECK_GROUP }));
  Object.assign(process.env, {
    TOPIC_ARN: topicArn,
    QUIET_WINDOW_SECONDS: String(QUIET_WINDOW_SECONDS),
    QUIET_CHECK_SCHEDULE: 'quiet-check',
    QUIET_CHECK_GROUP,
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/schedule-role',
    SCHEDULE_DEAD_LETTER_ARN: scheduleDeadLetters.arn,
    INLINE_MAP_LIMIT: '40',
    RUN_RETENTION_DAYS: '90',
  });

  const register = async (machine: MachineName) => {
    const { definition, taskFunctions } = resolvedDefinition(template, machine, stackTokens(bucket));
    const name = machine.toLowerCase();
    const created = await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: `arn:aws:iam::123456789012:role/${name}` }));
    return { arn: created.stateMachineArn ?? '', definition, taskFunctions };
  };
  const machines = [await register('Run'), await register('Optimize')];
  process.env['STATE_MACHINE_ARN'] = machines[0]?.arn;
  process.env['OPTIMIZE_STATE_MACHINE_ARN'] = machines[1]?.arn;

  const handlers = new Map<string, Handler>();
  const handler = async (name: string): Promise<Handler> => {
    const known = handlers.get(name);
    if (known !== undefined) return known;
    const loaded = ((await import(`../../functions/${name}.ts`)) as { handler: Handler }).handler;
    handlers.set(name, loaded);
    return loaded;
  };
  const invoke = async (name: string, event: unknown): Promise<unknown> => (await handler(name))(event, lambdaContext(name));

  // Faults: matched by the execution and state the handler runs for (AsyncLocalStorage), counted per rule.
  let faults: (Fault & { calls: number; failed: number })[] = [];
  const takeFault = (kinds: Fault['kind'][]): Fault['kind'] | null => {
    const scope = taskScope.getStore();
    if (scope === undefined) return null;
    for (const fault of faults) {
      if (!kinds.includes(fault.kind) || fault.state !== scope.state || (fault.execution !== undefined && fault.execution !== scope.execution)) continue;
      fault.calls += 1;
      if (fault.calls <= (fault.after ?? 0) || fault.failed >= (fault.times ?? Number.POSITIVE_INFINITY)) continue;
      fault.failed += 1;
      return fault.kind;
    }
    return null;
  };
  s3Client().middlewareStack.add(
    (next) => async (args) => {
      const fault = takeFault(['s3-403', 's3-timeout']);
      if (fault === 's3-403') throw new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' });
      if (fault === 's3-timeout') throw Object.assign(new Error('Connection timed out after 30000 ms'), { name: 'TimeoutError' });
      return next(args);
    },
    { step: 'initialize', name: 'harnessFaults' },
  );
  snsClient().middlewareStack.add(
    (next) => async (args) => {
      if (takeFault(['sns-throttle']) !== null) {
        throw new SNSServiceException({ name: 'Throttled', $fault: 'client', $metadata: { httpStatusCode: 400 }, $retryable: { throttling: true }, message: 'Rate exceeded' });
      }
      return next(args);
    },
    { step: 'initialize', name: 'harnessFaults' },
  );

  const holds: { state: string; execution?: string | undefined; reached: () => void; released: Promise<void> }[] = [];
  const payloadSizes: PayloadSizes = new Map();
  const measure = (state: string, value: unknown): void => {
    const size = Buffer.byteLength(JSON.stringify(value ?? null));
    payloadSizes.set(state, Math.max(payloadSizes.get(state) ?? 0, size));
  };

  /** A Task as Lambda runs it, for one execution: held, faulted, measured. */
  const runTask = (execution: string, state: string, handlerFile: string) => async (input: unknown): Promise<unknown> =>
    taskScope.run({ execution, state }, async () => {
      measure(state, input);
      const hold = holds.find((candidate) => candidate.state === state && (candidate.execution === undefined || candidate.execution === execution));
      if (hold !== undefined) {
        holds.splice(holds.indexOf(hold), 1);
        hold.reached();
        await hold.released;
      }
      if (takeFault(['lambda-throttle']) !== null) throw Object.assign(new Error('Rate Exceeded.'), { name: 'Lambda.TooManyRequestsException' });
      const started = performance.now();
      const result = await invoke(handlerFile, input);
      if (process.env['HARNESS_TIMING'] !== undefined) process.stderr.write(`${execution} ${state}: ${Math.round(performance.now() - started)} ms\n`);
      if (takeFault(['timeout-after-success']) !== null) throw Object.assign(new Error('Task timed out after 900.00 seconds'), { name: 'Sandbox.Timedout' });
      measure(state, result);
      return result;
    });

  const drain = async (url: string, wanted: number): Promise<Message[]> => {
    const messages: Message[] = [];
    for (let empty = 0; messages.length < wanted && empty < 3; ) {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      const batch = received.Messages ?? [];
      if (batch.length === 0) {
        empty += 1;
        continue;
      }
      messages.push(...batch);
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
    }
    return messages;
  };

  const alreadyRun = new Set<string>();
  const executionList = async () => {
    const listed = await Promise.all(
      machines.map(async (machine) => ((await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine.arn }))).executions ?? []).map((execution) => ({ execution, machine }))),
    );
    return listed.flat();
  };

  const execute = async (name: string, arn: string, definition: Json, taskFunctions: Record<string, string>): Promise<ExecutionOutcome> => {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    const overrides = Object.fromEntries(Object.entries(taskFunctions).map(([state, file]) => [state, runTask(name, state, file)])) as LocalTaskHandlers;
    const emulated = emulateDistributedMaps(definition, overrides, s3, bucket, (state, value) => measure(state, value));
    const retryIntervalOverrides = Object.fromEntries(retryingStates(emulated).map((state) => [state, 0]));
    const machine = new StateMachine(emulated as never, { validationOptions: { checkArn: true, checkPaths: true } });
    const run = machine.run(JSON.parse(described.input ?? '{}'), { overrides: { taskResourceLocalHandlers: overrides, retryIntervalOverrides } });
    const logged = (async () => {
      for await (const event of run.eventLogs) {
        const state = (event as { state?: { name: string; input?: unknown; output?: unknown } }).state;
        if (state !== undefined) {
          measure(state.name, state.input);
          if ('output' in state) measure(state.name, state.output);
        }
      }
    })();
    try {
      const output = await run.result;
      await logged;
      return { name, status: 'SUCCEEDED', output, error: null };
    } catch (error) {
      await logged.catch(() => undefined);
      return { name, status: 'FAILED', output: null, error: `${(error as Error).name}: ${(error as Error).message}` };
    }
  };

  const fireDueSchedules = async (): Promise<unknown[]> => {
    const answers: unknown[] = [];
    const listed = (await scheduler.send(new ListSchedulesCommand({ GroupName: QUIET_CHECK_GROUP }))).Schedules ?? [];
    for (const { Name } of listed) {
      const schedule = await scheduler.send(new GetScheduleCommand({ GroupName: QUIET_CHECK_GROUP, Name }));
      const due = /^at\((.+)\)$/.exec(schedule.ScheduleExpression ?? '')?.[1];
      if (due === undefined || Date.parse(`${due}Z`) > simulated) continue;
      await scheduler.send(new DeleteScheduleCommand({ GroupName: QUIET_CHECK_GROUP, Name })); // ActionAfterCompletion: DELETE
      const functionName = schedule.Target?.Arn?.split(':').at(-1) ?? '';
      answers.push(await invoke(functionName, JSON.parse(schedule.Target?.Input ?? '{}')));
    }
    return answers;
  };

  return {
    bucket,
    s3,
    now: () => new Date(simulated),
    async advance(seconds) {
      simulated += seconds * 1000;
      return fireDueSchedules();
    },
    async upload(files, prefix = 'incoming/') {
      // A folder copied as `aws s3 cp --recursive` copies it: a few files at a time.
      await eachLimited(Object.entries(files), 8, async ([name, body]) => {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${name}`, Body: body }));
      });
    },
    async deliverUploads() {
      const messages = await drain(uploads.url, Number.POSITIVE_INFINITY);
      const answers: unknown[] = [];
      for (let first = 0; first < messages.length; first += 100) {
        const Records = messages.slice(first, first + 100).map((message) => ({
          messageId: message.MessageId ?? '',
          receiptHandle: message.ReceiptHandle ?? '',
          body: message.Body ?? '',
          attributes: {},
          messageAttributes: {},
          md5OfBody: message.MD5OfBody ?? '',
          eventSource: 'aws:sqs',
          eventSourceARN: uploads.arn,
          awsRegion: REGION,
        }));
        answers.push(await invoke('start-run', { Records }));
      }
      return answers;
    },
    nightly: () => invoke('start-run', { trigger: 'schedule', scheduledTime: new Date(simulated).toISOString() }),
    async quietCheckAt() {
      const listed = (await scheduler.send(new ListSchedulesCommand({ GroupName: QUIET_CHECK_GROUP }))).Schedules ?? [];
      if (listed.length === 0) return null;
      const schedule = await scheduler.send(new GetScheduleCommand({ GroupName: QUIET_CHECK_GROUP, Name: listed[0]?.Name }));
      const due = /^at\((.+)\)$/.exec(schedule.ScheduleExpression ?? '')?.[1];
      return due === undefined ? null : new Date(`${due}Z`);
    },
    async runNewExecutions(options = {}) {
      const fresh = (await executionList()).filter(({ execution }) => !alreadyRun.has(execution.name ?? ''));
      for (const { execution } of fresh) alreadyRun.add(execution.name ?? '');
      const run = ({ execution, machine }: (typeof fresh)[number]) => execute(execution.name ?? '', execution.executionArn ?? '', machine.definition, machine.taskFunctions);
      if (options.concurrently === true) return Promise.all(fresh.map(run));
      const outcomes: ExecutionOutcome[] = [];
      for (const item of fresh) outcomes.push(await run(item));
      return outcomes;
    },
    async executionNames() {
      return (await executionList()).map(({ execution }) => execution.name ?? '');
    },
    async notifications() {
      const messages = await drain(inbox.url, Number.POSITIVE_INFINITY);
      return messages.map((message) => {
        const envelope = JSON.parse(message.Body ?? '{}') as { Subject?: string; Message?: string };
        return { subject: envelope.Subject ?? '', message: envelope.Message ?? '' };
      });
    },
    async keys(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        keys.push(...(listed.Contents ?? []).map((object) => object.Key ?? ''));
        token = listed.NextContinuationToken;
      } while (token !== undefined);
      return keys.sort();
    },
    async text(key) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await object.Body?.transformToString()) ?? '';
    },
    async bytes(key) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await object.Body?.transformToByteArray()) ?? new Uint8Array();
    },
    invoke,
    inject(fault) {
      faults.push({ ...fault, calls: 0, failed: 0 });
    },
    clearFaults() {
      faults = [];
    },
    holdBefore(state, execution) {
      let reached = (): void => undefined;
      let release = (): void => undefined;
      const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.push({ state, execution, reached, released });
      return { reached: reachedPromise, release };
    },
    payloadSizes,
  };
}

/** Every state (at any depth) that has a Retry field: the harness retries them without pausing. */
function retryingStates(definition: Json): string[] {
  const names: string[] = [];
  const visit = (states: Record<string, Json>): void => {
    for (const [name, state] of Object.entries(states)) {
      if (state['Retry'] !== undefined) names.push(name);
      for (const branch of (state['Branches'] as { States: Record<string, Json> }[] | undefined) ?? []) visit(branch.States);
      const processor = (state['ItemProcessor'] ?? state['Iterator']) as { States: Record<string, Json> } | undefined;
      if (processor !== undefined) visit(processor.States);
    }
  };
  visit((definition as { States: Record<string, Json> }).States);
  return names;
}

/** `$.a.b` of a value. */
function atPath(value: unknown, path: string): unknown {
  return path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter((part) => part !== '')
    .reduce<unknown>((node, part) => (node as Json | undefined)?.[part], value);
}

/**
 * aws-local-stepfunctions runs a Map over an array in the state; a Distributed Map reads its items
 * from S3 and writes its results there. Each Distributed Map state becomes a Task of the same name,
 * with the same Retry, Catch, ResultPath and Next, whose local handler does what the service does:
 * reads the items file the ItemReader names, runs the Map's own ItemProcessor (with its
 * ItemSelector and MaxConcurrency) over them, writes the ResultWriter's manifest and results
 * under its prefix, and answers as the service does. A child that fails fails the Map with
 * `States.ExceedToleratedFailureThreshold`, as a Map with no tolerated failures does.
 */
function emulateDistributedMaps(definition: Json, overrides: LocalTaskHandlers, s3: S3Client, bucket: string, measure: (state: string, value: unknown) => void): Json {
  const copy = structuredClone(definition) as { States: Record<string, Json> };
  const rewrite = (states: Record<string, Json>): void => {
    for (const [name, state] of Object.entries(states)) {
      for (const branch of (state['Branches'] as { States: Record<string, Json> }[] | undefined) ?? []) rewrite(branch.States);
      if (state['ItemReader'] === undefined) {
        const processor = state['ItemProcessor'] as { States: Record<string, Json> } | undefined;
        if (processor !== undefined) rewrite(processor.States);
        continue;
      }
      const { ItemReader, ItemSelector, ItemProcessor, MaxConcurrency, ResultWriter, Type: _type, ...kept } = state as Json & {
        ItemReader: { Parameters: Json };
        ItemProcessor: Json;
        ResultWriter?: { Parameters: Json };
      };
      states[name] = { ...kept, Type: 'Task', Resource: `arn:aws:lambda:${REGION}:123456789012:function:DistributedMap` };
      const mapOnly = { StartAt: 'Items', States: { Items: { Type: 'Map', ItemsPath: '$.harnessItems', ItemSelector, MaxConcurrency, ItemProcessor: { ...ItemProcessor, ProcessorConfig: { Mode: 'INLINE' } }, End: true } } };
      overrides[name] = (async (input: unknown) => {
        const parameter = (field: string): string => {
          const parameters = ItemReader.Parameters;
          return String(parameters[`${field}.$`] === undefined ? parameters[field] : atPath(input, String(parameters[`${field}.$`])));
        };
        const object = await s3.send(new GetObjectCommand({ Bucket: parameter('Bucket'), Key: parameter('Key') }));
        const items = JSON.parse((await object.Body?.transformToString()) ?? '[]') as unknown[];
        const mapRunId = `${name.replace(/[^A-Za-z0-9]/g, '')}-${Date.now()}`;
        let results: unknown;
        try {
          results = await new StateMachine(mapOnly as never, { validationOptions: { noValidate: true } }).run({ ...(input as Json), harnessItems: items } as never, {
            overrides: { taskResourceLocalHandlers: overrides, retryIntervalOverrides: Object.fromEntries(retryingStates(mapOnly).map((state) => [state, 0])) },
          }).result;
        } catch (error) {
          throw Object.assign(new Error(`The specified tolerated failure threshold was exceeded: ${(error as Error).name}: ${(error as Error).message}`), {
            name: 'States.ExceedToleratedFailureThreshold',
          });
        }
        measure(name, { items: items.length });
        if (ResultWriter === undefined) return results;
        const prefix = `${String(ResultWriter.Parameters['Prefix'] ?? '')}${mapRunId}/`;
        const succeeded = (results as unknown[]).map((output, index) => ({ Name: `${mapRunId}-${index}`, Input: JSON.stringify(items[index]), Output: JSON.stringify(output), Status: 'SUCCEEDED' }));
        const put = (key: string, body: unknown) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(body) }));
        await put(`${prefix}SUCCEEDED_0.json`, succeeded);
        await put(`${prefix}manifest.json`, { MapRunArn: `arn:aws:states:${REGION}:123456789012:mapRun:${mapRunId}`, ResultFiles: { SUCCEEDED: [{ Key: `${prefix}SUCCEEDED_0.json`, Size: succeeded.length }], FAILED: [], PENDING: [] } });
        return { MapRunArn: `arn:aws:states:${REGION}:123456789012:mapRun:${mapRunId}`, ResultWriterDetails: { Bucket: bucket, Key: `${prefix}manifest.json` } };
      }) as LocalTaskHandlers[string];
    }
  };
  rewrite(copy.States);
  return copy as unknown as Json;
}

/** A deployed stack with the moto_server it runs in, which `stop` ends. */
export type RunningLocalCloud = LocalCloud & { stop(): Promise<void> };

/** A fresh moto_server with the synthesized stack deployed into it: what each end-to-end suite starts before its tests. */
export async function startLocalCloud(): Promise<RunningLocalCloud> {
  const moto = await startMotoServer();
  return Object.assign(await deployLocally(moto, synthesizedTemplate()), { stop: () => moto.stop() });
}
