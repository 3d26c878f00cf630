/**
 * The run as a state machine: Load+Validate -> Align+Scale -> Compound+Reconcile -> Scenarios (a
 * Map, one child per scenario) -> Report (the data files, in parallel with the charts and then
 * the pages, all written under the run's work folder) -> Seal report -> Publish latest -> Notify
 * -> Expire old runs. A night without a new upload only notifies. Each stage is a Lambda handing
 * the next one S3 keys and counts. Transient faults are retried with jittered backoff; any other
 * error discards what a failed seal left and sends the failure notice; `latest/` moves only by
 * the publish step's conditional write.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Choice, Condition, Parallel, type StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FAN_OUT_DEFAULTS } from '#infra/fanOutDefaults.ts';
import { FUNCTION_MEMORY_MB, type StageFunction } from '#infra/functionMemory.ts';
import { LATEST_PREFIX, MAP_RESULTS_PREFIX, RUNS_PREFIX, WORK_PREFIX } from '#shared/storage/bucketLayout.ts';
import { PipelineFunction } from './pipelineFunction.ts';
import { executionEndings } from './publishStates.ts';
import type { ReportBucket } from './reportBucket.ts';
import { fanOut, pipelineStateMachine, retryFanOut, stageTask } from './stageStates.ts';

export interface FanOutSettings {
  /** Up to this many Map items run inline in the execution, more in a Distributed Map. @default 40 */
  readonly inlineMapLimit?: number | undefined;
  /** Map children running at once. @default 10 */
  readonly mapConcurrency?: number | undefined;
  /**
   * Concurrent executions reserved for each function a Map fans out to (0: none), so that a
   * fan-out cannot take the account's whole concurrency. @default mapConcurrency
   */
  readonly fanOutReservedConcurrency?: number | undefined;
}

export interface RunStateMachineProps extends FanOutSettings {
  readonly reportBucket: ReportBucket;
  readonly topic: ITopic;
  /** Days a run's folder under `runs/` is kept (the published run always). @default 90 */
  readonly runRetentionDays?: number | undefined;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

const RUN_STAGES = [
  'loadValidate',
  'alignScale',
  'compoundReconcile',
  'runScenario',
  'writeReport',
  'renderCharts',
  'writePages',
  'writeIndex',
  'sealReport',
  'publishLatest',
  'discardReport',
  'notify',
  'expireRuns',
] as const;

export class RunStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: Record<(typeof RUN_STAGES)[number], PipelineFunction>;

  constructor(scope: Construct, id: string, props: RunStateMachineProps) {
    super(scope, id);
    const { reportBucket } = props;
    const mapConcurrency = props.mapConcurrency ?? FAN_OUT_DEFAULTS.mapConcurrency;
    const inlineMapLimit = props.inlineMapLimit ?? FAN_OUT_DEFAULTS.inlineMapLimit;
    const environment = { BUCKET_NAME: reportBucket.bucket.bucketName, INLINE_MAP_LIMIT: String(inlineMapLimit) };
    const heavy = { timeout: Duration.minutes(15), logRetention: props.logRetention };
    const fanned = { reservedConcurrentExecutions: props.fanOutReservedConcurrency ?? mapConcurrency };
    // Memory from `npm run bench:stages` at 2,000 strategies x 20 years (infra/functionMemory.ts).
    const stage = (handlerFile: StageFunction, description: string, extra: object = {}): PipelineFunction =>
      new PipelineFunction(this, handlerFile, { handlerFile, description, environment, logRetention: props.logRetention, memorySize: FUNCTION_MEMORY_MB[handlerFile], ...extra });

    const loadValidate = stage('load-validate', 'Stage 1: validates the config and CSVs of a run, parses them into columns', heavy);
    const alignScale = stage('align-scale', 'Stage 2: aligns the strategies on one calendar and scales positions', heavy);
    const compoundReconcile = stage('compound-reconcile', 'Stage 3: compounds equity, reconciles every date, computes metrics', heavy);
    // A Distributed Map's children are express executions: at most 5 minutes each.
    const runScenario = stage('run-scenario', 'Scenarios: runs the day loop of one scenario (a Map item)', { ...heavy, ...fanned, timeout: Duration.minutes(5) });
    const writeReport = stage('write-report', 'Stage 4: writes the report CSVs and summary.json', heavy);
    const renderCharts = stage('render-charts', 'Stage 4: draws the charts of a chunk of levels (a Map item)', { ...heavy, ...fanned, drawsCharts: true });
    const writePages = stage('write-pages', 'Stage 4: writes the tearsheets of a chunk of levels (a Map item)', { ...heavy, ...fanned });
    const writeIndex = stage('write-index', 'Stage 4: writes index.html and correlation.csv', heavy);
    const sealReport = stage('seal-report', 'Copies a finished report from the work folder to runs/<runId>/report/ and checks it', { timeout: Duration.minutes(15) });
    const publishLatest = stage('publish-latest', 'Points latest/run.json at a sealed report, if no later upload was published first');
    const discardReport = stage('discard-report', 'Removes what a failed run left under runs/<runId>/report/', { timeout: Duration.minutes(15) });
    const notify = stage('notify', 'Emails the run summary with its alerts, the failure notice or the nightly no-new-data note through SNS', {
      environment: { ...environment, TOPIC_ARN: props.topic.topicArn },
    });
    const expireRuns = stage('expire-runs', 'Deletes run folders past the retention, never the one latest/ points to', {
      timeout: Duration.minutes(15),
      environment: { ...environment, RUN_RETENTION_DAYS: String(props.runRetentionDays ?? 90) },
    });
    this.functions = { loadValidate, alignScale, compoundReconcile, runScenario, writeReport, renderCharts, writePages, writeIndex, sealReport, publishLatest, discardReport, notify, expireRuns };

    reportBucket.grantPrefix(loadValidate, RUNS_PREFIX, 'read');
    reportBucket.grantPrefix(loadValidate, WORK_PREFIX, 'write');
    reportBucket.grantPrefix(loadValidate, RUNS_PREFIX, 'list');
    for (const fn of [alignScale, compoundReconcile, runScenario]) reportBucket.grantPrefix(fn, WORK_PREFIX, 'read', 'write');
    for (const fn of [writeReport, renderCharts, writePages, writeIndex]) reportBucket.grantPrefix(fn, WORK_PREFIX, 'read', 'write');
    reportBucket.grantPrefix(sealReport, WORK_PREFIX, 'read', 'list');
    reportBucket.grantPrefix(sealReport, RUNS_PREFIX, 'read', 'write', 'list');
    reportBucket.grantPrefix(publishLatest, RUNS_PREFIX, 'list');
    reportBucket.grantPrefix(publishLatest, LATEST_PREFIX, 'read', 'write', 'list');
    for (const fn of [discardReport, expireRuns]) {
      reportBucket.grantPrefix(fn, RUNS_PREFIX, 'read', 'delete', 'list');
      reportBucket.grantPrefix(fn, LATEST_PREFIX, 'read', 'list');
    }
    reportBucket.grantPrefix(notify, WORK_PREFIX, 'read');
    // The presigned link in the email works with the signer's permissions: the notifier may read
    // reports; it records each run's notice beside its report.
    reportBucket.grantPrefix(notify, RUNS_PREFIX, 'read', 'write', 'list');
    reportBucket.grantPrefix(notify, LATEST_PREFIX, 'read', 'list');
    props.topic.grantPublish(notify);
    Validations.of(notify).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason: "Publishing to the encrypted topic: CDK grants the GenerateDataKey* family on the topic's own key only.",
    });

    const endings = executionEndings(this, { sealReport, publishLatest, discardReport, notify }, { failed: 'Run failed', succeeded: 'Run succeeded' }, (succeeded) =>
      stageTask(this, 'Expire old runs', expireRuns, '$.expired').addCatch(succeeded, { resultPath: '$.expireError' }).next(succeeded),
    );
    /** A stage whose errors, once retries are spent, end in the failure notice; `$.error` holds what went wrong. */
    const guarded = (name: string, fn: PipelineFunction, resultPath: string) => stageTask(this, name, fn, resultPath).addCatch(endings.onFailure, { resultPath: '$.error' });
    const mapSettings = { bucket: reportBucket.bucket, resultsPrefix: MAP_RESULTS_PREFIX, inlineLimit: inlineMapLimit, maxConcurrency: mapConcurrency };
    const scenarios = fanOut(this, 'Scenarios', {
      itemFunction: runScenario,
      itemsPath: '$.compound.scenarios.indexes',
      countPath: '$.compound.scenarios.count',
      itemsKeyPath: '$.compound.scenarios.itemsKey',
      itemField: 'index',
      shared: { 'workPrefix.$': '$.workPrefix' },
      ...mapSettings,
      onError: endings.onFailure,
    });
    // Charts and pages by chunks of levels: a chunk's memory and time do not grow with the portfolio.
    const chunks = (name: string, itemFunction: PipelineFunction) =>
      fanOut(this, name, {
        itemFunction,
        itemsPath: '$.compound.reportChunks.indexes',
        countPath: '$.compound.reportChunks.count',
        itemsKeyPath: '$.compound.reportChunks.itemsKey',
        itemField: 'chunk',
        shared: { 'workPrefix.$': '$.workPrefix', 'stagingPrefix.$': '$.stagingPrefix' },
        ...mapSettings,
        // Inside the Report Parallel, whose Catch takes the error.
      });
    const report = new Parallel(this, 'Report', {
      comment: 'The data files, and beside them the charts and then the pages that show them',
      resultPath: '$.report',
      resultSelector: { 'dataFiles.$': '$[0].dataFiles', 'index.$': '$[1].index' },
    })
      .branch(stageTask(this, 'Write data files', writeReport, '$.dataFiles'))
      .branch(chunks('Charts', renderCharts).next(chunks('Pages', writePages)).next(stageTask(this, 'Write index', writeIndex, '$.index')));
    retryFanOut(report).addCatch(endings.onFailure, { resultPath: '$.error' });
    const runReport = guarded('Load+Validate', loadValidate, '$.load')
      .next(guarded('Align+Scale', alignScale, '$.align'))
      .next(guarded('Compound+Reconcile', compoundReconcile, '$.compound'))
      .next(scenarios)
      .next(report)
      .next(endings.publishing);
    const definition = new Choice(this, 'Report or notice?', { comment: 'A night without a new complete upload only says so' })
      .when(Condition.stringEquals('$.command', 'unchanged'), endings.notify)
      .otherwise(runReport);

    this.stateMachine = pipelineStateMachine(this, {
      definition,
      bucket: reportBucket.bucket,
      resultsPrefix: MAP_RESULTS_PREFIX,
      functions: Object.values(this.functions),
      timeout: Duration.hours(2),
      logRetention: props.logRetention,
    });
  }
}
