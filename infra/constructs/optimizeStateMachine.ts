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
import { OPTIMIZE_STAGES } from '#shared/pipeline/stageList.ts';
import { WORK_PREFIX } from '#shared/storage/bucketLayout.ts';
import { PipelineFunction } from './pipelineFunction.ts';
import { PipelineStateMachine, stageNamed, withFanOutDefaults, type FanOutSettings } from './pipelineStateMachine.ts';
import type { ReportBucket } from './reportBucket.ts';
import type { RunStateMachine } from './runStateMachine.ts';

export interface OptimizeStateMachineProps extends FanOutSettings {
  /** The bucket the search reads the run's snapshot from and writes its work, report and pointer entry to. */
  readonly reportBucket: ReportBucket;
  /** The run's functions this machine shares: it loads, aligns, seals, publishes and notifies the same way. */
  readonly runFunctions: Pick<RunStateMachine['functions'], 'load-validate' | 'align-scale' | 'notify' | 'seal-report' | 'publish-latest' | 'discard-report'>;
  /** Memory of the functions that hold a whole portfolio's columns. @default 3008 */
  readonly stageMemorySize?: number;
  /** How long the functions' and the executions' logs are kept. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/** A stage of the search, by its name in the stage list. */
const stage = <Name extends (typeof OPTIMIZE_STAGES)[number]['name']>(name: Name) => stageNamed(OPTIMIZE_STAGES, name);

export class OptimizeStateMachine extends Construct {
  /** Started by a manual `{"trigger":"manual","command":"optimize"}` with a run request. */
  readonly stateMachine: StateMachine;
  /** The optimizer's own functions, by their handler file in `functions/`. */
  readonly functions: Readonly<Record<'optimizer-step' | 'evaluate-candidate' | 'finish-optimizer', PipelineFunction>>;

  constructor(scope: Construct, id: string, props: OptimizeStateMachineProps) {
    super(scope, id);
    const { reportBucket, runFunctions } = props;
    const fanOut = withFanOutDefaults(props);
    const settings = {
      environment: { BUCKET_NAME: reportBucket.bucket.bucketName, INLINE_MAP_LIMIT: String(fanOut.inlineMapLimit) },
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
      reservedConcurrentExecutions: fanOut.fanOutReservedConcurrency,
      ...settings,
    });
    const finishOptimizer = new PipelineFunction(this, 'finish-optimizer', {
      handlerFile: 'finish-optimizer',
      description: 'Optimizer: writes optimizer.json and its page',
      timeout: Duration.minutes(15),
      drawsCharts: true,
      ...settings,
    });
    this.functions = { 'optimizer-step': optimizerStep, 'evaluate-candidate': evaluateCandidate, 'finish-optimizer': finishOptimizer };
    for (const fn of [optimizerStep, evaluateCandidate]) reportBucket.grantPrefix(fn, WORK_PREFIX, 'read', 'write');
    reportBucket.grantPrefix(finishOptimizer, WORK_PREFIX, 'read', 'write');

    // 'Default': CDK leaves this id out of logical ids (see RunStateMachine).
    const machine = new PipelineStateMachine(this, 'Default', {
      reportBucket,
      ...fanOut,
      stageFunctions: { ...runFunctions, ...this.functions },
      endingFunctions: runFunctions,
      outcomeNames: { failed: 'Optimize failed', succeeded: 'Optimize succeeded' },
      // Up to one Map per strategy chosen, each as long as its slowest child.
      timeout: Duration.hours(12),
      logRetention: props.logRetention,
    });
    const searchDone = new Choice(this, 'Search done?');
    const candidates = machine.fanOut(stage('Candidates'), { 'workPrefix.$': '$.workPrefix', 'step.$': '$.step.step' });
    const choose = machine.stage(stage('Choose'), {
      payload: { action: 'choose', 'workPrefix.$': '$.workPrefix', 'step.$': '$.step.step', 'itemsKey.$': '$.step.itemsKey' },
    });
    const finish = machine.stage(stage('Write optimizer')).next(machine.endings.publishing);
    searchDone.when(Condition.booleanEquals('$.step.done', true), finish).otherwise(candidates.next(choose).next(searchDone));

    const definition = machine
      .stage(stage('Load+Validate'))
      .next(machine.stage(stage('Align+Scale')))
      .next(machine.stage(stage('Start search'), { payload: { action: 'start', 'workPrefix.$': '$.workPrefix' } }))
      .next(searchDone);
    this.stateMachine = machine.build(definition);
  }
}
