/** Portfolio Combiner on AWS: the bucket, the run and optimize state machines, their triggers, notifications and the limits endpoint. */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LimitsApi } from '#infra/constructs/limitsApi.ts';
import { ReportBucket } from '#infra/constructs/reportBucket.ts';
import { RunNotifications } from '#infra/constructs/runNotifications.ts';
import { OptimizeStateMachine } from '#infra/constructs/optimizeStateMachine.ts';
import type { FanOutSettings } from '#infra/constructs/pipelineStateMachine.ts';
import { RunStateMachine } from '#infra/constructs/runStateMachine.ts';
import { RunTriggers } from '#infra/constructs/runTriggers.ts';
import { INCOMING_PREFIX } from '#shared/storage/bucketLayout.ts';

export interface PortfolioCombinerStackProps extends StackProps, FanOutSettings {
  /** Who gets the emails (the recipient must confirm the subscription). @default no subscription */
  readonly notifyEmail?: string | undefined;
  /** An upload runs once incoming/ has not changed for this many seconds. @default 60 */
  readonly batchWindowSeconds?: number;
  /** The nightly run, `HH:MM` in `timeZone`. @default '02:00' */
  readonly nightlyAt?: string;
  /** IANA time zone of the nightly run. @default 'UTC' */
  readonly timeZone?: string;
  /** Days each run's snapshot and report are kept. @default 90 */
  readonly runRetentionDays?: number;
  /** What happens to the report bucket when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly bucketRemovalPolicy?: RemovalPolicy;
}

export class PortfolioCombinerStack extends Stack {
  readonly reportBucket: ReportBucket;
  readonly run: RunStateMachine;
  readonly optimize: OptimizeStateMachine;
  readonly triggers: RunTriggers;
  readonly notifications: RunNotifications;

  constructor(scope: Construct, id: string, props: PortfolioCombinerStackProps = {}) {
    super(scope, id, props);
    const logRetention = RetentionDays.ONE_MONTH;
    this.reportBucket = new ReportBucket(this, 'Reports', { removalPolicy: props.bucketRemovalPolicy });
    this.notifications = new RunNotifications(this, 'Notifications', { notifyEmail: props.notifyEmail });
    const fanOut = { inlineMapLimit: props.inlineMapLimit, mapConcurrency: props.mapConcurrency, fanOutReservedConcurrency: props.fanOutReservedConcurrency };
    this.run = new RunStateMachine(this, 'Run', {
      reportBucket: this.reportBucket,
      topic: this.notifications.topic,
      runRetentionDays: props.runRetentionDays,
      logRetention,
      ...fanOut,
    });
    this.optimize = new OptimizeStateMachine(this, 'Optimize', { reportBucket: this.reportBucket, runFunctions: this.run.functions, logRetention, ...fanOut });
    const [hour, minute] = (props.nightlyAt ?? '02:00').split(':');
    this.triggers = new RunTriggers(this, 'Triggers', {
      reportBucket: this.reportBucket,
      stateMachine: this.run.stateMachine,
      optimizeStateMachine: this.optimize.stateMachine,
      quietWindow: Duration.seconds(props.batchWindowSeconds ?? 60),
      alarmTopic: this.notifications.topic,
      nightlyAt: { hour: String(Number(hour)), minute: String(Number(minute)) },
      timeZone: props.timeZone,
      logRetention,
    });

    new CfnOutput(this, 'BucketName', { value: this.reportBucket.bucket.bucketName, description: `Drop CSVs and portfolio.json under ${INCOMING_PREFIX}` });
    new CfnOutput(this, 'TopicArn', { value: this.notifications.topic.topicArn });
    new CfnOutput(this, 'StateMachineArn', { value: this.run.stateMachine.stateMachineArn });
    new CfnOutput(this, 'OptimizeStateMachineArn', { value: this.optimize.stateMachine.stateMachineArn });
    new CfnOutput(this, 'StarterFunctionName', {
      value: this.triggers.starter.functionName,
      description: 'Invoke with {"trigger":"manual"} to run now, {"trigger":"manual","command":"optimize"} to run the optimizer',
    });
    new LimitsApi(this, 'LimitsApi', { reportBucket: this.reportBucket, logRetention }); // GET /api/portfolio/limits; outputs LimitsEndpoint
  }
}
