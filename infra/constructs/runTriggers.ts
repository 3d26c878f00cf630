/**
 * What starts a run: files dropped under incoming/ (S3 -> EventBridge -> an SQS queue -> the
 * starter, which looks at incoming/ and moves a one-time quiet check to the end of the quiet
 * window), the quiet check itself, and a nightly EventBridge Scheduler schedule. Events that
 * cannot be delivered land in dead-letter queues, each watched by an alarm that emails.
 */
import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { INCOMING_PREFIX, RUNS_PREFIX, UPLOADS_PREFIX } from '#shared/storage/bucketLayout.ts';
import { PipelineFunction } from './pipelineFunction.ts';
import type { ReportBucket } from './reportBucket.ts';

export interface RunTriggersProps {
  /** The bucket whose `incoming/` is watched, and snapshotted under `runs/` when an upload is complete. */
  readonly reportBucket: ReportBucket;
  /** What an upload, the nightly schedule or a manual `{"trigger":"manual"}` starts. */
  readonly stateMachine: StateMachine;
  /** What a manual `{"trigger":"manual","command":"optimize"}` starts. */
  readonly optimizeStateMachine: StateMachine;
  /** An upload is complete once incoming/ has not changed for this long. @default Duration.seconds(60) */
  readonly quietWindow?: Duration;
  /** Where the dead-letter alarms send their notice. */
  readonly alarmTopic: ITopic;
  /** The nightly run's hour and minute. @default { hour: '2', minute: '0' } */
  readonly nightlyAt?: {
    /** The hour, 0-23, as a cron field. */
    hour: string;
    /** The minute, 0-59, as a cron field. */
    minute: string;
  };
  /** The time zone of the nightly run (IANA name). @default 'UTC' */
  readonly timeZone?: string;
  /** How long the starter's logs are kept. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/** The name of the one-time quiet check inside its schedule group. */
export const QUIET_CHECK_SCHEDULE = 'quiet-check';

export class RunTriggers extends Construct {
  /** The function that looks at `incoming/`, snapshots a complete upload and starts its run. */
  readonly starter: PipelineFunction;
  /** The S3 events of `incoming/`, on their way to the starter. */
  readonly uploads: Queue;
  /** The nightly run. */
  readonly schedule: Schedule;
  /** Where undeliverable events wait, each watched by an alarm. */
  readonly deadLetterQueues: Queue[] = [];

  constructor(scope: Construct, id: string, props: RunTriggersProps) {
    super(scope, id);
    const { reportBucket, stateMachine, optimizeStateMachine } = props;
    const deadLetters = (name: string): Queue => {
      const queue = new Queue(this, name, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
      Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This is a dead-letter queue: it has none of its own.' });
      // An event that landed here started nothing: someone must look (the nightly run is the safety net).
      new Alarm(this, `${name}Alarm`, {
        alarmDescription: `Portfolio Combiner: an event could not be delivered and waits in the dead-letter queue ${name}; the run it was for may not have started.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new SnsAction(props.alarmTopic));
      this.deadLetterQueues.push(queue);
      return queue;
    };
    const scheduleDeadLetters = deadLetters('ScheduleDeadLetters');
    const scheduleRole = new Role(this, 'ScheduleRole', { assumedBy: new ServicePrincipal('scheduler.amazonaws.com') });
    const quietChecks = new ScheduleGroup(this, 'QuietChecks');
    const quietWindow = props.quietWindow ?? Duration.seconds(60);

    this.starter = new PipelineFunction(this, 'start-run', {
      handlerFile: 'start-run',
      description: `Starts a run once an upload into ${INCOMING_PREFIX} is complete, nightly, or by hand`,
      // Snapshots of thousands of CSVs are copied in parallel, and only when an upload is complete.
      timeout: Duration.minutes(5),
      logRetention: props.logRetention,
      environment: {
        BUCKET_NAME: reportBucket.bucket.bucketName,
        STATE_MACHINE_ARN: stateMachine.stateMachineArn,
        OPTIMIZE_STATE_MACHINE_ARN: optimizeStateMachine.stateMachineArn,
        QUIET_WINDOW_SECONDS: String(quietWindow.toSeconds()),
        QUIET_CHECK_SCHEDULE: QUIET_CHECK_SCHEDULE,
        QUIET_CHECK_GROUP: quietChecks.scheduleGroupName,
        SCHEDULER_ROLE_ARN: scheduleRole.roleArn,
        SCHEDULE_DEAD_LETTER_ARN: scheduleDeadLetters.queueArn,
      },
    });
    reportBucket.grantPrefix(this.starter, INCOMING_PREFIX, 'read', 'list');
    // The snapshot and its manifest under runs/, and what the batcher last saw under work/uploads/.
    reportBucket.grantPrefix(this.starter, RUNS_PREFIX, 'read', 'write');
    reportBucket.grantPrefix(this.starter, UPLOADS_PREFIX, 'read', 'write');
    stateMachine.grantStartExecution(this.starter);
    optimizeStateMachine.grantStartExecution(this.starter);
    this.starter.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule'],
        resources: [Stack.of(this).formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${quietChecks.scheduleGroupName}/${QUIET_CHECK_SCHEDULE}` })],
      }),
    );
    this.starter.addToRolePolicy(new PolicyStatement({ actions: ['iam:PassRole'], resources: [scheduleRole.roleArn] }));
    scheduleDeadLetters.grantSendMessages(scheduleRole);

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
    // Any number of events per invocation: each only looks at incoming/ and moves the quiet check.
    this.starter.addEventSource(new SqsEventSource(this.uploads, { batchSize: 100, maxBatchingWindow: Duration.seconds(10), maxConcurrency: 2 }));

    const nightly = props.nightlyAt ?? { hour: '2', minute: '0' };
    Validations.of(scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.starter.node.defaultChild as CfnFunction)}.Arn>:*]`,
      reason: 'CDK grants invoking every version of the starter function (ARN:*); the schedule invokes only that function.',
    });
    this.schedule = new Schedule(this, 'Nightly', {
      description: `The nightly run on what is in ${INCOMING_PREFIX}`,
      schedule: ScheduleExpression.cron({ ...nightly, timeZone: TimeZone.of(props.timeZone ?? 'UTC') }),
      target: new LambdaInvoke(this.starter, {
        role: scheduleRole,
        input: ScheduleTargetInput.fromObject({ trigger: 'schedule', scheduledTime: ContextAttribute.scheduledTime }),
        deadLetterQueue: scheduleDeadLetters,
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
      }),
    });
  }
}
