/**
 * The run as a state machine: Load+Validate -> Align+Scale -> Compound+Reconcile -> Scenarios (a
 * Map, one child per scenario) -> Report (the data files, in parallel with the charts and then
 * the pages) -> Publish latest -> Notify. Each stage is a Lambda handing the next one S3 keys and
 * small figures. Transient faults are retried with backoff; any other error goes to a failure
 * notice, and nothing is published under latest/.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Fail, Parallel, type StateMachine, Succeed } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FAN_OUT_DEFAULTS } from '../fanOutDefaults.js';
import { PipelineFunction } from './pipelineFunction.js';
import type { ReportBucket } from './reportBucket.js';
import { fanOut, pipelineStateMachine, stageTask } from './stageStates.js';

export interface FanOutSettings {
  /** Up to this many Map items run inline in the execution, more in a Distributed Map. @default 40 */
  readonly inlineMapLimit?: number | undefined;
  /** Map children running at once. @default 10 */
  readonly mapConcurrency?: number | undefined;
}

export interface RunStateMachineProps extends FanOutSettings {
  readonly reportBucket: ReportBucket;
  readonly topic: ITopic;
  /** Memory of the stages that hold a whole portfolio's columns. @default 3008 */
  readonly stageMemorySize?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

const RUN_STAGES = ['loadValidate', 'alignScale', 'compoundReconcile', 'runScenario', 'writeReport', 'renderCharts', 'writePages', 'publishLatest', 'notify'] as const;

/** Where Distributed Maps leave their run manifests. */
export const MAP_RESULTS_PREFIX = 'work/map-results/';

export class RunStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: Record<(typeof RUN_STAGES)[number], PipelineFunction>;

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
    // A Distributed Map's children are express executions: at most 5 minutes each.
    const runScenario = stage('run-scenario', 'Scenarios: runs the day loop of one scenario (a Map item)', { ...heavy, timeout: Duration.minutes(5) });
    const writeReport = stage('write-report', 'Stage 4: writes the report CSVs and summary.json', heavy);
    const renderCharts = stage('render-charts', 'Stage 4: draws the charts of every strategy, account and the portfolio', { ...heavy, drawsCharts: true });
    const writePages = stage('write-pages', 'Stage 4: writes the tearsheets and index.html', heavy);
    const publishLatest = stage('publish-latest', 'Copies a successful run report to latest/');
    const notify = stage('notify', 'Emails the run summary, alerts and failure notices through SNS', {
      environment: { ...environment, TOPIC_ARN: props.topic.topicArn },
    });
    this.functions = { loadValidate, alignScale, compoundReconcile, runScenario, writeReport, renderCharts, writePages, publishLatest, notify };

    reportBucket.grantPrefix(loadValidate, 'runs/', 'read');
    reportBucket.grantPrefix(loadValidate, 'work/', 'write');
    reportBucket.grantPrefix(loadValidate, 'runs/', 'list');
    for (const fn of [alignScale, compoundReconcile, runScenario]) reportBucket.grantPrefix(fn, 'work/', 'read', 'write');
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

    const failed = stageTask(this, 'Notify failure', notify, '$.notified').next(
      new Fail(this, 'Run failed', { error: 'RunFailed', cause: 'A stage failed; the failure notice was sent.' }),
    );
    /** A stage whose errors, once retries are spent, end in the failure notice; `$.error` holds what went wrong. */
    const guarded = (name: string, fn: PipelineFunction, resultPath: string) => stageTask(this, name, fn, resultPath).addCatch(failed, { resultPath: '$.error' });
    const scenarios = fanOut(this, 'Scenarios', {
      itemFunction: runScenario,
      itemsPath: '$.compound.scenarios.indexes',
      countPath: '$.compound.scenarios.count',
      itemsKeyPath: '$.compound.scenarios.itemsKey',
      itemField: 'index',
      shared: { 'workPrefix.$': '$.workPrefix' },
      bucket: reportBucket.bucket,
      resultsPrefix: MAP_RESULTS_PREFIX,
      inlineLimit: props.inlineMapLimit ?? FAN_OUT_DEFAULTS.inlineMapLimit,
      maxConcurrency: props.mapConcurrency ?? FAN_OUT_DEFAULTS.mapConcurrency,
      onError: failed,
    });
    const report = new Parallel(this, 'Report', {
      comment: 'The data files, and beside them the charts and then the pages that show them',
      resultPath: '$.report',
      resultSelector: { 'dataFiles.$': '$[0].dataFiles', 'charts.$': '$[1].charts', 'pages.$': '$[1].pages' },
    })
      .branch(stageTask(this, 'Write data files', writeReport, '$.dataFiles'))
      .branch(stageTask(this, 'Render charts', renderCharts, '$.charts').next(stageTask(this, 'Write pages', writePages, '$.pages')));
    report.addCatch(failed, { resultPath: '$.error' });
    const definition = guarded('Load+Validate', loadValidate, '$.load')
      .next(guarded('Align+Scale', alignScale, '$.align'))
      .next(guarded('Compound+Reconcile', compoundReconcile, '$.compound'))
      .next(scenarios)
      .next(report)
      .next(guarded('Publish latest', publishLatest, '$.published'))
      .next(stageTask(this, 'Notify', notify, '$.notified'))
      .next(new Succeed(this, 'Run succeeded'));

    this.stateMachine = pipelineStateMachine(this, {
      definition,
      bucket: reportBucket.bucket,
      functions: Object.values(this.functions),
      timeout: Duration.hours(2),
      logRetention: props.logRetention,
    });
  }
}
