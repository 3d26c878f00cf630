/**
 * The run as a state machine: Load+Validate -> Align+Scale -> Compound+Reconcile -> Report (the
 * data files, in parallel with the charts and then the pages) -> Publish latest -> Notify. Each
 * stage is a Lambda handing the next one S3 keys and small figures.
 * Transient faults are retried with backoff; any other error goes to a failure notice, and
 * nothing is published under latest/.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, Fail, LogLevel, Parallel, StateMachine, Succeed } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { PipelineFunction } from './pipelineFunction.js';
import type { ReportBucket } from './reportBucket.js';

export interface RunStateMachineProps {
  readonly reportBucket: ReportBucket;
  readonly topic: ITopic;
  /** Memory of the stages that hold a whole portfolio's columns. @default 3008 */
  readonly stageMemorySize?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/** Errors worth another try: Lambda service faults (added by CDK) and S3 faults the adapter marks. */
const TRANSIENT_STORAGE_ERRORS = ['StorageUnavailable'];

export class RunStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: Record<string, PipelineFunction>;

  constructor(scope: Construct, id: string, props: RunStateMachineProps) {
    super(scope, id);
    const { reportBucket } = props;
    const environment = { BUCKET_NAME: reportBucket.bucket.bucketName };
    const heavy = { memorySize: props.stageMemorySize ?? 3008, timeout: Duration.minutes(15), logRetention: props.logRetention };
    const stage = (handlerFile: string, description: string, extra: object = {}): PipelineFunction =>
      new PipelineFunction(this, handlerFile, { handlerFile, description, environment, logRetention: props.logRetention, ...extra });

    const loadValidate = stage('load-validate', 'Stage 1: validates the config and CSVs of a run, parses them into columns', heavy);
    const alignScale = stage('align-scale', 'Stage 2: aligns the strategies on one calendar and scales positions', heavy);
    const compoundReconcile = stage('compound-reconcile', 'Stage 3: compounds equity, reconciles every date, computes metrics', heavy);
    const writeReport = stage('write-report', 'Stage 4: writes the report CSVs and summary.json', heavy);
    const renderCharts = stage('render-charts', 'Stage 4: draws the charts of every strategy, account and the portfolio', { ...heavy, drawsCharts: true });
    const writePages = stage('write-pages', 'Stage 4: writes the tearsheets and index.html', heavy);
    const publishLatest = stage('publish-latest', 'Copies a successful run report to latest/');
    const notify = stage('notify', 'Emails the run summary, alerts and failure notices through SNS', {
      environment: { ...environment, TOPIC_ARN: props.topic.topicArn },
    });
    this.functions = { loadValidate, alignScale, compoundReconcile, writeReport, renderCharts, writePages, publishLatest, notify };

    reportBucket.grantPrefix(loadValidate, 'runs/', 'read');
    reportBucket.grantPrefix(loadValidate, 'work/', 'write');
    reportBucket.grantPrefix(loadValidate, 'runs/', 'list');
    for (const fn of [alignScale, compoundReconcile]) reportBucket.grantPrefix(fn, 'work/', 'read', 'write');
    for (const fn of [writeReport, renderCharts, writePages]) {
      reportBucket.grantPrefix(fn, 'work/', 'read');
      reportBucket.grantPrefix(fn, 'runs/', 'write');
    }
    reportBucket.grantPrefix(writePages, 'runs/', 'read');
    reportBucket.grantPrefix(publishLatest, 'runs/', 'read', 'list');
    reportBucket.grantPrefix(publishLatest, 'latest/', 'read', 'write', 'delete', 'list');
    reportBucket.grantPrefix(notify, 'work/', 'read');
    // The presigned link in the email works with the signer's permissions: the notifier may read reports.
    reportBucket.grantPrefix(notify, 'runs/', 'read');
    props.topic.grantPublish(notify);

    const invoke = (name: string, fn: PipelineFunction, resultPath: string): LambdaInvoke => {
      const task = new LambdaInvoke(this, name, { lambdaFunction: fn, payloadResponseOnly: true, resultPath, retryOnServiceExceptions: true });
      task.addRetry({ errors: TRANSIENT_STORAGE_ERRORS, interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });
      return task;
    };
    const failed = invoke('Notify failure', notify, '$.notified').next(
      new Fail(this, 'Run failed', { error: 'RunFailed', cause: 'A stage failed; the failure notice was sent.' }),
    );
    /** A stage whose errors, once retries are spent, end in the failure notice; `$.error` holds what went wrong. */
    const guarded = (name: string, fn: PipelineFunction, resultPath: string): LambdaInvoke => {
      const task = invoke(name, fn, resultPath);
      task.addCatch(failed, { resultPath: '$.error' });
      return task;
    };
    const report = new Parallel(this, 'Report', {
      comment: 'The data files, and beside them the charts and then the pages that show them',
      resultPath: '$.report',
      resultSelector: { 'dataFiles.$': '$[0].dataFiles', 'charts.$': '$[1].charts', 'pages.$': '$[1].pages' },
    })
      .branch(invoke('Write data files', writeReport, '$.dataFiles'))
      .branch(invoke('Render charts', renderCharts, '$.charts').next(invoke('Write pages', writePages, '$.pages')));
    report.addCatch(failed, { resultPath: '$.error' });
    const definition = guarded('Load+Validate', loadValidate, '$.load')
      .next(guarded('Align+Scale', alignScale, '$.align'))
      .next(guarded('Compound+Reconcile', compoundReconcile, '$.compound'))
      .next(report)
      .next(guarded('Publish latest', publishLatest, '$.published'))
      .next(invoke('Notify', notify, '$.notified'))
      .next(new Succeed(this, 'Run succeeded'));

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: Duration.hours(2),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'StateMachineLogs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH }),
        level: LogLevel.ALL,
        includeExecutionData: true,
      },
    });
    const role = this.stateMachine.role;
    for (const fn of Object.values(this.functions)) {
      const functionId = Stack.of(this).getLogicalId(fn.node.defaultChild as CfnFunction);
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        reason: 'CDK grants invoking every version of each stage function (ARN:*); the state machine invokes only these functions.',
      });
    }
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'CloudWatch Logs delivery and X-Ray tracing actions of a state machine support no resource-level permissions.',
    });
  }
}
