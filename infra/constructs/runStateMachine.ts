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
import { Choice, Condition, type StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FUNCTION_MEMORY_MB, type StageFunction } from '#infra/functionMemory.ts';
import { ComparedWithOlderRun } from '#shared/pipeline/publishLatest.ts';
import { RUN_STAGES } from '#shared/pipeline/stageList.ts';
import { LATEST_POINTER_KEY, LATEST_PREFIX, RUNS_PREFIX, runPrefixes, WORK_PREFIX } from '#shared/storage/bucketLayout.ts';
import { PipelineFunction } from './pipelineFunction.ts';
import { stageTask } from './stageStates.ts';
import { PipelineStateMachine, stageNamed, withFanOutDefaults, type FanOutSettings } from './pipelineStateMachine.ts';
import type { ReportBucket } from './reportBucket.ts';

export interface RunStateMachineProps extends FanOutSettings {
  /** The bucket the run reads its snapshot from and writes its work, report and pointer to. */
  readonly reportBucket: ReportBucket;
  /** Where the run's notices are published. */
  readonly topic: ITopic;
  /** Days a run's folder under `runs/` is kept (the published run always). @default 90 */
  readonly runRetentionDays?: number | undefined;
  /** How long the functions' and the executions' logs are kept. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/** A stage of the run, by its name in the stage list. */
const stage = <Name extends (typeof RUN_STAGES)[number]['name']>(name: Name) => stageNamed(RUN_STAGES, name);

export class RunStateMachine extends Construct {
  /** Started by the starter with a run request (functions/commons/runEvents.ts). */
  readonly stateMachine: StateMachine;
  /** Every function of the run, by its handler file in `functions/`. */
  readonly functions: Readonly<Record<StageFunction, PipelineFunction>>;

  constructor(scope: Construct, id: string, props: RunStateMachineProps) {
    super(scope, id);
    const { reportBucket } = props;
    const fanOut = withFanOutDefaults(props);
    const environment = { BUCKET_NAME: reportBucket.bucket.bucketName, INLINE_MAP_LIMIT: String(fanOut.inlineMapLimit) };
    const heavy = { timeout: Duration.minutes(15), logRetention: props.logRetention };
    const fanned = { reservedConcurrentExecutions: fanOut.fanOutReservedConcurrency };
    // Memory from `npm run bench:stages` at 2,000 strategies x 20 years (infra/functionMemory.ts).
    const stageFunction = (handlerFile: StageFunction, description: string, extra: object = {}): PipelineFunction =>
      new PipelineFunction(this, handlerFile, { handlerFile, description, environment, logRetention: props.logRetention, memorySize: FUNCTION_MEMORY_MB[handlerFile], ...extra });

    const loadValidate = stageFunction('load-validate', 'Stage 1: validates the config and CSVs of a run, parses them into columns', heavy);
    const alignScale = stageFunction('align-scale', 'Stage 2: aligns the strategies on one calendar and scales positions', heavy);
    const compoundReconcile = stageFunction('compound-reconcile', 'Stage 3: compounds equity, reconciles every date, computes metrics', heavy);
    // A Distributed Map's children are express executions: at most 5 minutes each.
    const runScenario = stageFunction('run-scenario', 'Scenarios: runs the day loop of one scenario (a Map item)', { ...heavy, ...fanned, timeout: Duration.minutes(5) });
    const planMonteCarlo = stageFunction('plan-monte-carlo', 'Monte Carlo: lists the chunks of bootstrap paths (SPEC 20) for the Map', heavy);
    const runBootstrapChunk = stageFunction('run-bootstrap-chunk', 'Monte Carlo: computes one chunk of bootstrap paths from the seed (a Map item)', { ...heavy, ...fanned, timeout: Duration.minutes(5) });
    const mergeMonteCarlo = stageFunction('merge-monte-carlo', 'Monte Carlo: merges the chunks into montecarlo.json and the fan CSV', heavy);
    const writeReport = stageFunction('write-report', 'Stage 4: writes the report CSVs and summary.json', heavy);
    const renderCharts = stageFunction('render-charts', 'Stage 4: draws the charts of a chunk of levels (a Map item)', { ...heavy, ...fanned, drawsCharts: true, hasWorker: true });
    const writePages = stageFunction('write-pages', 'Stage 4: writes the tearsheets of a chunk of levels (a Map item)', { ...heavy, ...fanned });
    const writeIndex = stageFunction('write-index', 'Stage 4: writes index.html and correlation.csv', heavy);
    const sealReport = stageFunction('seal-report', `Copies a finished report from the work folder to ${runPrefixes('<runId>').reportPrefix} and checks it`, { timeout: Duration.minutes(15) });
    const publishLatest = stageFunction('publish-latest', `Points ${LATEST_POINTER_KEY} at a sealed report, if no later upload was published first`);
    const discardReport = stageFunction('discard-report', `Removes what a failed run left under ${runPrefixes('<runId>').reportPrefix}`, { timeout: Duration.minutes(15) });
    const notify = stageFunction('notify', 'Emails the run summary with its alerts, the failure notice or the nightly no-new-data note through SNS', {
      environment: { ...environment, TOPIC_ARN: props.topic.topicArn },
    });
    const expireRuns = stageFunction('expire-runs', `Deletes run folders past the retention, never the one ${LATEST_PREFIX} points to`, {
      timeout: Duration.minutes(15),
      environment: { ...environment, RUN_RETENTION_DAYS: String(props.runRetentionDays ?? 90) },
    });
    this.functions = {
      'load-validate': loadValidate,
      'align-scale': alignScale,
      'compound-reconcile': compoundReconcile,
      'run-scenario': runScenario,
      'plan-monte-carlo': planMonteCarlo,
      'run-bootstrap-chunk': runBootstrapChunk,
      'merge-monte-carlo': mergeMonteCarlo,
      'write-report': writeReport,
      'render-charts': renderCharts,
      'write-pages': writePages,
      'write-index': writeIndex,
      'seal-report': sealReport,
      'publish-latest': publishLatest,
      'discard-report': discardReport,
      notify,
      'expire-runs': expireRuns,
    };

    reportBucket.grantPrefix(loadValidate, RUNS_PREFIX, 'read');
    reportBucket.grantPrefix(loadValidate, WORK_PREFIX, 'write');
    reportBucket.grantPrefix(loadValidate, RUNS_PREFIX, 'list');
    reportBucket.grantPrefix(loadValidate, LATEST_PREFIX, 'read', 'list');
    for (const fn of [alignScale, compoundReconcile, runScenario, planMonteCarlo, runBootstrapChunk, mergeMonteCarlo]) reportBucket.grantPrefix(fn, WORK_PREFIX, 'read', 'write');
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

    // 'Default': CDK leaves this id out of logical ids, so the state machine keeps the ids it had
    // before it was composed of the skeleton (no replacement on deploy).
    const machine = new PipelineStateMachine(this, 'Default', {
      reportBucket,
      ...fanOut,
      stageFunctions: this.functions,
      endingFunctions: this.functions,
      outcomeNames: { failed: 'Run failed', succeeded: 'Run succeeded' },
      afterNotice: { name: 'Expire old runs', fn: expireRuns, resultPath: '$.expired', errorPath: '$.expireError' },
      timeout: Duration.hours(2),
      logRetention: props.logRetention,
    });
    const scenarios = machine.fanOut(stage('Scenarios'), { 'workPrefix.$': '$.workPrefix' });
    // SPEC 20: each chunk computes its own paths from the seed and leaves them by key; the merge reads them in order.
    const monteCarlo = machine
      .stage(stage('Plan Monte Carlo'))
      .next(machine.fanOut(stage('Monte Carlo'), { 'workPrefix.$': '$.workPrefix' }))
      .next(machine.stage(stage('Merge Monte Carlo')));
    // Charts and pages by chunks of levels: a chunk's memory and time do not grow with the portfolio.
    const chunks = (name: 'Charts' | 'Pages') => machine.fanOut(stage(name), { 'workPrefix.$': '$.workPrefix', 'stagingPrefix.$': '$.stagingPrefix' }, { insideParallel: true });
    const report = machine
      .parallel('Report', {
        comment: 'The data files, and beside them the charts and then the pages that show them',
        resultPath: '$.report',
        resultSelector: { 'dataFiles.$': '$[0].dataFiles', 'index.$': '$[1].index' },
      })
      .branch(machine.task(stage('Write data files')))
      .branch(chunks('Charts').next(chunks('Pages')).next(machine.task(stage('Write index'))));
    // SPEC 19.2: the inputs are compared with the snapshot of the run latest/ shows, and the run
    // publishes only over that run; when another published first, its sealed report is discarded
    // and the run starts over, so that no published report compares with an older one.
    const load = machine.stage(stage('Load+Validate'), { payload: { 'workPrefix.$': '$.workPrefix', 'dataPrefix.$': '$.dataPrefix', previousRun: 'latest' } });
    const compareAgain = stageTask(this, 'Discard and compare again', discardReport, '$.discarded', { retryTimeout: true });
    compareAgain.addCatch(machine.endings.onFailure, { resultPath: '$.error' }).next(load);
    machine.endings.publish.addCatch(compareAgain, { errors: [ComparedWithOlderRun.errorName], resultPath: '$.recompare' });
    const runReport = load
      .next(machine.stage(stage('Align+Scale')))
      .next(machine.stage(stage('Compound+Reconcile')))
      .next(scenarios)
      .next(monteCarlo)
      .next(report)
      .next(machine.endings.publishing);
    const definition = new Choice(this, 'Report or notice?', { comment: 'A night without a new complete upload only says so' })
      .when(Condition.stringEquals('$.command', 'unchanged'), machine.endings.notify)
      .otherwise(runReport);
    this.stateMachine = machine.build(definition);
  }
}
