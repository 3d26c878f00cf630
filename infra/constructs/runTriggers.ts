/**
 * What starts a run: files dropped under incoming/ (S3 -> EventBridge -> an SQS queue whose
 * batching window gathers the files uploaded together into one invocation of the starter), and a
 * nightly EventBridge Scheduler schedule. Events that cannot be delivered land in dead-letter queues.
 */
import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { INCOMING_PREFIX } from '../../shared/pipeline/runId.js';
import { PipelineFunction } from './pipelineFunction.js';
import type { ReportBucket } from './reportBucket.js';

export interface RunTriggersProps {
  readonly reportBucket: ReportBucket;
  readonly stateMachine: StateMachine;
  /** What a manual `{"trigger":"manual","command":"optimize"}` starts. */
  readonly optimizeStateMachine: StateMachine;
  /** Files uploaded within this window make one run. @default Duration.seconds(60) */
  readonly batchWindow?: Duration;
  /** The nightly run's hour and minute. @default { hour: '2', minute: '0' } */
  readonly nightlyAt?: { hour: string; minute: string };
  /** The time zone of the nightly run (IANA name). @default 'UTC' */
  readonly timeZone?: string;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

export class RunTriggers extends Construct {
  readonly starter: PipelineFunction;
  readonly uploads: Queue;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: RunTriggersProps) {
    super(scope, id);
    const { reportBucket, stateMachine, optimizeStateMachine } = props;
    this.starter = new PipelineFunction(this, 'start-run', {
      handlerFile: 'start-run',
      description: 'Starts a run for what is in incoming/: after an upload batch, nightly, or by hand',
      timeout: Duration.minutes(1),
      logRetention: props.logRetention,
      environment: {
        BUCKET_NAME: reportBucket.bucket.bucketName,
        STATE_MACHINE_ARN: stateMachine.stateMachineArn,
        OPTIMIZE_STATE_MACHINE_ARN: optimizeStateMachine.stateMachineArn,
      },
    });
    reportBucket.grantPrefix(this.starter, INCOMING_PREFIX, 'read', 'list');
    reportBucket.grantPrefix(this.starter, 'runs/', 'write');
    stateMachine.grantStartExecution(this.starter);
    optimizeStateMachine.grantStartExecution(this.starter);

    const deadLetters = (name: string): Queue => {
      const queue = new Queue(this, name, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
      Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This is a dead-letter queue: it has none of its own.' });
      return queue;
    };
    const uploadDeadLetters = deadLetters('UploadDeadLetters');
    this.uploads = new Queue(this, 'Uploads', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.minutes(6),
      deadLetterQueue: { queue: uploadDeadLetters, maxReceiveCount: 3 },
    });
    new Rule(this, 'ObjectCreated', {
      description: `Every object created under ${INCOMING_PREFIX} of the report bucket`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [reportBucket.bucket.bucketName] }, object: { key: [{ prefix: INCOMING_PREFIX }] } },
      },
      targets: [new SqsQueue(this.uploads, { deadLetterQueue: uploadDeadLetters })],
    });
    this.starter.addEventSource(
      new SqsEventSource(this.uploads, { batchSize: 100, maxBatchingWindow: props.batchWindow ?? Duration.seconds(60), maxConcurrency: 2 }),
    );

    const nightly = props.nightlyAt ?? { hour: '2', minute: '0' };
    const scheduleRole = new Role(this, 'ScheduleRole', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com') });
    Validations.of(scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.starter.node.defaultChild as CfnFunction)}.Arn>:*]`,
      reason: 'CDK grants invoking every version of the starter function (ARN:*); the schedule invokes only that function.',
    });
    this.schedule = new Schedule(this, 'Nightly', {
      description: 'The nightly run on what is in incoming/',
      schedule: ScheduleExpression.cron({ ...nightly, timeZone: TimeZone.of(props.timeZone ?? 'UTC') }),
      target: new LambdaInvoke(this.starter, {
        role: scheduleRole,
        input: ScheduleTargetInput.fromObject({ trigger: 'schedule', scheduledTime: ContextAttribute.scheduledTime }),
        deadLetterQueue: deadLetters('ScheduleDeadLetters'),
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
      }),
    });
  }
}
