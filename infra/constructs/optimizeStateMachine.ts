/**
 * `optimize` as a state machine (SPEC 13): Load+Validate -> Align+Scale (the run's own stage
 * functions) -> Start search -> loop { Candidates (a Map: one day loop per candidate set) ->
 * Choose } until the search stops -> Write optimizer (optimizer.json and its page, copied to
 * latest/) -> Notify. The search state lives in the run's work folder between steps.
 */
import { Duration } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Choice, Condition, Fail, type StateMachine, Succeed } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FAN_OUT_DEFAULTS } from '../fanOutDefaults.js';
import { PipelineFunction } from './pipelineFunction.js';
import type { ReportBucket } from './reportBucket.js';
import { MAP_RESULTS_PREFIX, type FanOutSettings } from './runStateMachine.js';
import { fanOut, pipelineStateMachine, stageTask } from './stageStates.js';

export interface OptimizeStateMachineProps extends FanOutSettings {
  readonly reportBucket: ReportBucket;
  /** The run's stages this machine shares: it loads, aligns and notifies the same way. */
  readonly runStages: { loadValidate: PipelineFunction; alignScale: PipelineFunction; notify: PipelineFunction };
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
    const settings = {
      environment: { BUCKET_NAME: reportBucket.bucket.bucketName },
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
      ...settings,
    });
    const finishOptimizer = new PipelineFunction(this, 'finish-optimizer', {
      handlerFile: 'finish-optimizer',
      description: 'Optimizer: writes optimizer.json and its page, and copies them to latest/',
      timeout: Duration.minutes(15),
      drawsCharts: true,
      ...settings,
    });
    this.functions = { optimizerStep, evaluateCandidate, finishOptimizer };
    for (const fn of [optimizerStep, evaluateCandidate]) reportBucket.grantPrefix(fn, 'work/', 'read', 'write');
    reportBucket.grantPrefix(finishOptimizer, 'work/', 'read');
    reportBucket.grantPrefix(finishOptimizer, 'runs/', 'read', 'write');
    reportBucket.grantPrefix(finishOptimizer, 'latest/', 'write');

    const failed = stageTask(this, 'Notify failure', runStages.notify, '$.notified').next(
      new Fail(this, 'Optimize failed', { error: 'OptimizeFailed', cause: 'A stage failed; the failure notice was sent.' }),
    );
    const guarded = (name: string, fn: PipelineFunction, resultPath: string, payload?: Record<string, unknown>) =>
      stageTask(this, name, fn, resultPath, payload).addCatch(failed, { resultPath: '$.error' });

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
      inlineLimit: props.inlineMapLimit ?? FAN_OUT_DEFAULTS.inlineMapLimit,
      maxConcurrency: props.mapConcurrency ?? FAN_OUT_DEFAULTS.mapConcurrency,
      onError: failed,
    });
    const choose = guarded('Choose', optimizerStep, '$.step', {
      action: 'choose',
      'workPrefix.$': '$.workPrefix',
      'step.$': '$.step.step',
      'candidates.$': '$.step.candidates',
    });
    const finish = guarded('Write optimizer', finishOptimizer, '$.optimizer')
      .next(stageTask(this, 'Notify', runStages.notify, '$.notified'))
      .next(new Succeed(this, 'Optimize succeeded'));
    searchDone.when(Condition.booleanEquals('$.step.done', true), finish).otherwise(candidates.next(choose).next(searchDone));

    const definition = guarded('Load+Validate', runStages.loadValidate, '$.load')
      .next(guarded('Align+Scale', runStages.alignScale, '$.align'))
      .next(guarded('Start search', optimizerStep, '$.step', { action: 'start', 'workPrefix.$': '$.workPrefix' }))
      .next(searchDone);

    this.stateMachine = pipelineStateMachine(this, {
      definition,
      bucket: reportBucket.bucket,
      functions: [runStages.loadValidate, runStages.alignScale, runStages.notify, ...Object.values(this.functions)],
      // Up to one Map per strategy chosen, each as long as its slowest child.
      timeout: Duration.hours(12),
      logRetention: props.logRetention,
    });
  }
}
