/**
 * `optimize` as a state machine (SPEC 13): Load+Validate -> Align+Scale (the run's own stage
 * functions) -> Start search -> loop { Candidates (a Map: one day loop per candidate set) ->
 * Choose } until the search stops -> Write optimizer (optimizer.json and its page) -> Seal report
 * -> Publish latest (the pointer's `optimizer` entry, beside the run) -> Notify, ending as a run
 * does. The search state lives in the run's work folder between steps.
 */
import { Duration } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Choice, Condition, type StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FAN_OUT_DEFAULTS } from '#infra/fanOutDefaults.ts';
import { MAP_RESULTS_PREFIX, WORK_PREFIX } from '#shared/storage/bucketLayout.ts';
import { PipelineFunction } from './pipelineFunction.ts';
import type { ReportBucket } from './reportBucket.ts';
import type { FanOutSettings, RunStateMachine } from './runStateMachine.ts';
import { executionEndings } from './publishStates.ts';
import { fanOut, pipelineStateMachine, stageTask, type StageTaskOptions } from './stageStates.ts';

export interface OptimizeStateMachineProps extends FanOutSettings {
  readonly reportBucket: ReportBucket;
  /** The run's stages this machine shares: it loads, aligns and notifies the same way. */
  readonly runStages: Pick<RunStateMachine['functions'], 'loadValidate' | 'alignScale' | 'notify' | 'sealReport' | 'publishLatest' | 'discardReport'>;
  /** Memory of the functions that hold a whole portfolio's columns. @default 3008 */
  readonly stageMemorySize?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

export class OptimizeStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: Record<string, PipelineFunction>;

  constructor(scope: Construct, id: string, props: OptimizeStateMachineProps) {
    super(scope, id);
    const { reportBucket, runStages } = props;
    const inlineMapLimit = props.inlineMapLimit ?? FAN_OUT_DEFAULTS.inlineMapLimit;
    const mapConcurrency = props.mapConcurrency ?? FAN_OUT_DEFAULTS.mapConcurrency;
    const settings = {
      environment: { BUCKET_NAME: reportBucket.bucket.bucketName, INLINE_MAP_LIMIT: String(inlineMapLimit) },
      memorySize: props.stageMemorySize ?? 3008,
      logRetention: props.logRetention,
    };
    const optimizerStep = new PipelineFunction(this, 'optimizer-step', {
      handlerFile: 'optimizer-step',
      description: 'Optimizer: proposes each step\'s candidates and chooses from their figures',
      ...settings,
    });
    // A Distributed Map's children are express executions: at most 5 minutes each.
    const evaluateCandidate = new PipelineFunction(this, 'evaluate-candidate', {
      handlerFile: 'evaluate-candidate',
      description: 'Optimizer: runs the day loop of one candidate set in sample (a Map item)',
      timeout: Duration.minutes(5),
      reservedConcurrentExecutions: props.fanOutReservedConcurrency ?? mapConcurrency,
      ...settings,
    });
    const finishOptimizer = new PipelineFunction(this, 'finish-optimizer', {
      handlerFile: 'finish-optimizer',
      description: 'Optimizer: writes optimizer.json and its page',
      timeout: Duration.minutes(15),
      drawsCharts: true,
      ...settings,
    });
    this.functions = { optimizerStep, evaluateCandidate, finishOptimizer };
    for (const fn of [optimizerStep, evaluateCandidate]) reportBucket.grantPrefix(fn, WORK_PREFIX, 'read', 'write');
    reportBucket.grantPrefix(finishOptimizer, WORK_PREFIX, 'read', 'write');

    const endings = executionEndings(this, runStages, { failed: 'Optimize failed', succeeded: 'Optimize succeeded' });
    const failed = endings.onFailure;
    const guarded = (name: string, fn: PipelineFunction, resultPath: string, options?: StageTaskOptions) =>
      stageTask(this, name, fn, resultPath, options).addCatch(failed, { resultPath: '$.error' });

    const searchDone = new Choice(this, 'Search done?');
    const candidates = fanOut(this, 'Candidates', {
      itemFunction: evaluateCandidate,
      itemsPath: '$.step.candidates',
      countPath: '$.step.candidateCount',
      itemsKeyPath: '$.step.itemsKey',
      itemField: 'strategy',
      shared: { 'workPrefix.$': '$.workPrefix', 'step.$': '$.step.step' },
      bucket: reportBucket.bucket,
      resultsPrefix: MAP_RESULTS_PREFIX,
      inlineLimit: inlineMapLimit,
      maxConcurrency: mapConcurrency,
      onError: failed,
    });
    const choose = guarded('Choose', optimizerStep, '$.step', {
      payload: { action: 'choose', 'workPrefix.$': '$.workPrefix', 'step.$': '$.step.step', 'itemsKey.$': '$.step.itemsKey' },
    });
    const finish = guarded('Write optimizer', finishOptimizer, '$.optimizer').next(endings.publishing);
    searchDone.when(Condition.booleanEquals('$.step.done', true), finish).otherwise(candidates.next(choose).next(searchDone));

    const definition = guarded('Load+Validate', runStages.loadValidate, '$.load')
      .next(guarded('Align+Scale', runStages.alignScale, '$.align'))
      .next(guarded('Start search', optimizerStep, '$.step', { payload: { action: 'start', 'workPrefix.$': '$.workPrefix' } }))
      .next(searchDone);

    this.stateMachine = pipelineStateMachine(this, {
      definition,
      bucket: reportBucket.bucket,
      resultsPrefix: MAP_RESULTS_PREFIX,
      functions: [...Object.values(runStages), ...Object.values(this.functions)],
      // Up to one Map per strategy chosen, each as long as its slowest child.
      timeout: Duration.hours(12),
      logRetention: props.logRetention,
    });
  }
}
