/**
 * The stack deployed into moto_server, as far as moto can hold it: the bucket with EventBridge
 * notifications, the rule from the synthesized template feeding the uploads queue, the SNS
 * topic with an SQS subscription (what an email subscriber would receive), and both state
 * machines (run, optimize) registered with their real definitions. moto cannot run Task states,
 * so the harness plays Lambda: it delivers the queued S3 events to the real starter handler, and
 * executes each execution the starter created with aws-local-stepfunctions, every Task run by
 * its real handler.
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutBucketNotificationConfigurationCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { lambdaContext } from '../../scripts/invoke.js';
import { StateMachine } from 'aws-local-stepfunctions';
import type { Template } from 'aws-cdk-lib/assertions';
import { pointHandlersAt, type MotoServer } from './motoServer.js';
import { REGION, resolvedDefinition, stackTokens, type MachineName } from './synthesizedStack.js';

export interface Notification {
  subject: string;
  message: string;
}

export interface ExecutionOutcome {
  name: string;
  status: 'SUCCEEDED' | 'FAILED';
  output: unknown;
  error: string | null;
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;
type RunOptions = NonNullable<Parameters<StateMachine['run']>[1]>;
type LocalTaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

export interface LocalCloud {
  bucket: string;
  s3: S3Client;
  upload(files: Record<string, string | Uint8Array>, prefix?: string): Promise<void>;
  /** Waits for the queued S3 events, then hands them to the starter as one SQS batch, as Lambda's event source would. */
  deliverUploads(expected: number): Promise<unknown>;
  /** Runs every execution the starter created that has not run yet; returns their outcomes. */
  runNewExecutions(): Promise<ExecutionOutcome[]>;
  executionNames(): Promise<string[]>;
  /** Everything published to the topic since the last call, as the SQS subscriber received it. */
  notifications(): Promise<Notification[]>;
  keys(prefix: string): Promise<string[]>;
  text(key: string): Promise<string>;
  bytes(key: string): Promise<Uint8Array>;
  /** Invokes a handler as Lambda would, e.g. the starter with `{"trigger":"manual","command":"optimize"}`. */
  invoke(name: string, event: unknown): Promise<unknown>;
}

export async function deployLocally(moto: MotoServer, template: Template): Promise<LocalCloud> {
  const bucket = 'portfolio-combiner-reports';
  const config = pointHandlersAt(moto, bucket, REGION);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const sfn = new SFNClient(config);
  const events = new EventBridgeClient(config);

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
  process.env['TOPIC_ARN'] = topicArn;

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

  const drain = async (url: string, wanted: number, waitMs: number): Promise<Message[]> => {
    const messages: Message[] = [];
    const deadline = Date.now() + waitMs;
    while (messages.length < wanted && Date.now() < deadline) {
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      const batch = received.Messages ?? [];
      if (batch.length > 0) {
        messages.push(...batch);
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
      } else {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
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

  return {
    bucket,
    s3,
    async upload(files, prefix = 'incoming/') {
      for (const [name, body] of Object.entries(files)) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${name}`, Body: body }));
    },
    async deliverUploads(expected) {
      const messages = await drain(uploads.url, expected, 10_000);
      const Records = messages.map((message) => ({
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
      return invoke('start-run', { Records });
    },
    async runNewExecutions() {
      const outcomes: ExecutionOutcome[] = [];
      for (const { execution, machine: { definition, taskFunctions } } of await executionList()) {
        const name = execution.name ?? '';
        if (alreadyRun.has(name)) continue;
        alreadyRun.add(name);
        const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn ?? '' }));
        const machine = new StateMachine(definition as never, { validationOptions: { checkArn: true, checkPaths: true } });
        const overrides = Object.fromEntries(
          Object.entries(taskFunctions).map(([stateName, handlerFile]) => [stateName, (input: unknown) => invoke(handlerFile, input)]),
        ) as LocalTaskHandlers;
        try {
          const output = await machine.run(JSON.parse(described.input ?? '{}'), { overrides: { taskResourceLocalHandlers: overrides } }).result;
          outcomes.push({ name, status: 'SUCCEEDED', output, error: null });
        } catch (error) {
          outcomes.push({ name, status: 'FAILED', output: null, error: (error as Error).message });
        }
      }
      return outcomes;
    },
    async executionNames() {
      return (await executionList()).map(({ execution }) => execution.name ?? '');
    },
    async notifications() {
      const messages = await drain(inbox.url, Number.POSITIVE_INFINITY, 1_500);
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
  };
}
