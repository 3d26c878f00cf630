/**
 * The skeleton both state machines (run and optimize) are composed of: their stages as tasks
 * retried on transient faults whose other errors end in the failure notice, their fan-outs with
 * the Map defaults, how every execution ends (seal, publish, notify; or discard and the failure
 * notice), and the state machine itself, logged, traced, with the cdk-nag acknowledgements its
 * grants need. A machine adds only its own stages, named, wired and fanned out as
 * shared/pipeline/stageList.ts lists them.
 */
import { type Duration, Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { type CfnStateMachine, type Chain, DefinitionBody, type IChainable, LogLevel, Parallel, type ParallelProps, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { FAN_OUT_DEFAULTS } from '#infra/fanOutDefaults.ts';
import type { FanOutItems, Stage, StageHandler } from '#shared/pipeline/stageList.ts';
import { MAP_RESULTS_PREFIX, WORK_PREFIX } from '#shared/storage/bucketLayout.ts';
import { executionEndings, type AfterNotice, type EndingFunctions, type Endings, type OutcomeNames } from './publishStates.ts';
import type { ReportBucket } from './reportBucket.ts';
import { fanOutMaps, retryFanOut, stageTask, type StageTaskOptions } from './stageStates.ts';

export interface FanOutSettings {
  /** Up to this many Map items (scenarios, chunks, candidate sets) run inline in the execution, more in a Distributed Map. @default 40 */
  readonly inlineMapLimit?: number | undefined;
  /** Map children running at once. @default 10 */
  readonly mapConcurrency?: number | undefined;
  /**
   * Concurrent executions reserved for each function a Map fans out to (0: none), so that a
   * fan-out cannot take the account's whole concurrency. @default mapConcurrency
   */
  readonly fanOutReservedConcurrency?: number | undefined;
}

/** The fan-out settings with their defaults filled in. */
export function withFanOutDefaults(settings: FanOutSettings): { readonly [Setting in keyof FanOutSettings]-?: number } {
  const mapConcurrency = settings.mapConcurrency ?? FAN_OUT_DEFAULTS.mapConcurrency;
  return {
    inlineMapLimit: settings.inlineMapLimit ?? FAN_OUT_DEFAULTS.inlineMapLimit,
    mapConcurrency,
    fanOutReservedConcurrency: settings.fanOutReservedConcurrency ?? mapConcurrency,
  };
}

/** A stage of the list whose function's result the state keeps. */
export type TaskStage = Stage & {
  /** Where the state machine keeps the function's result. */
  readonly resultPath: string;
};
/** A stage of the list that runs its function once per item, in a Map. */
export type FanOutStage = Stage & {
  /** Where the Map finds its items. */
  readonly fanOut: FanOutItems;
};

/** The stage of `stages` named `name`: a name that is not in the list does not compile. */
export function stageNamed<const Stages extends readonly Stage[], Name extends Stages[number]['name']>(stages: Stages, name: Name): Extract<Stages[number], { name: Name }> {
  const found = stages.find((stage) => stage.name === name);
  if (found === undefined) throw new Error(`no stage named ${name}`);
  return found as Extract<Stages[number], { name: Name }>;
}

export interface FanOutOptions {
  /** The Map sits in a Parallel branch, whose states cannot leave it: its errors go to the Parallel's Catch. @default false */
  readonly insideParallel?: boolean;
}

export interface PipelineStateMachineProps extends FanOutSettings {
  /** The bucket whose `work/` the Distributed Maps read their items from and write their manifests under. */
  readonly reportBucket: ReportBucket;
  /** The function of each handler the machine's stages name (stageList.ts). */
  readonly stageFunctions: Readonly<Partial<Record<StageHandler, IFunction>>>;
  /** The functions every execution ends with: seal the report, publish it, discard a partial one, notify. */
  readonly endingFunctions: EndingFunctions;
  /** The names of the last states, e.g. `Run failed` and `Run succeeded`. */
  readonly outcomeNames: OutcomeNames;
  /** A last task after the notice whose failure costs nothing (the run's `Expire old runs`). @default none: the notice ends the execution */
  readonly afterNotice?: AfterNotice | undefined;
  /** The longest an execution may run. */
  readonly timeout: Duration;
  /** How long the execution logs are kept. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays | undefined;
}

export class PipelineStateMachine extends Construct {
  /** The Map settings, defaults filled in. */
  readonly fanOutSettings: ReturnType<typeof withFanOutDefaults>;
  /** Where failures go, the publishing chain a finished report enters, and the Notify state. */
  readonly endings: Endings;
  private readonly props: PipelineStateMachineProps;
  /** Every function a state invokes, for the acknowledgement of their `ARN:*` grants. */
  private readonly invoked = new Set<IFunction>();

  constructor(scope: Construct, id: string, props: PipelineStateMachineProps) {
    super(scope, id);
    this.props = props;
    this.fanOutSettings = withFanOutDefaults(props);
    this.endings = executionEndings(this, props.endingFunctions, props.outcomeNames, props.afterNotice);
    for (const fn of [...Object.values(props.endingFunctions), ...(props.afterNotice === undefined ? [] : [props.afterNotice.fn])]) this.invoked.add(fn);
  }

  /** A stage's task whose errors, once retries are spent, end in the failure notice (`$.error` says what went wrong). */
  stage(stage: TaskStage, options?: StageTaskOptions): LambdaInvoke {
    const task = this.task(stage, options);
    task.addCatch(this.endings.onFailure, { resultPath: '$.error' });
    return task;
  }

  /** A stage's task with retries only: inside a Parallel branch, whose own Catch takes the error. */
  task(stage: TaskStage, options?: StageTaskOptions): LambdaInvoke {
    return stageTask(this, stage.name, this.functionOf(stage), stage.resultPath, options);
  }

  /**
   * A stage run once per item, by an inline or a Distributed Map. `shared` is the rest of each
   * child's event, taken from the state. Its failure ends in the failure notice, except inside a
   * Parallel branch, whose states cannot leave it.
   */
  fanOut(stage: FanOutStage, shared: Record<string, string>, { insideParallel = false }: FanOutOptions = {}): Chain {
    return fanOutMaps(this, stage.name, {
      ...stage.fanOut,
      itemFunction: this.functionOf(stage),
      shared,
      bucket: this.props.reportBucket.bucket,
      inlineLimit: this.fanOutSettings.inlineMapLimit,
      maxConcurrency: this.fanOutSettings.mapConcurrency,
      onError: insideParallel ? undefined : this.endings.onFailure,
    });
  }

  /** A Parallel run again as a whole on transient faults (its branches are idempotent); any other error ends in the failure notice. */
  parallel(name: string, props: ParallelProps): Parallel {
    const parallel = retryFanOut(new Parallel(this, name, props));
    parallel.addCatch(this.endings.onFailure, { resultPath: '$.error' });
    return parallel;
  }

  /** The state machine running `definition`, logged and traced. */
  build(definition: IChainable): StateMachine {
    const stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: this.props.timeout,
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'StateMachineLogs', { retention: this.props.logRetention ?? RetentionDays.ONE_MONTH }),
        level: LogLevel.ALL,
        includeExecutionData: true,
      },
    });
    this.acknowledgeGrants(stateMachine);
    return stateMachine;
  }

  private functionOf(stage: Stage): IFunction {
    const fn = stage.handler === null ? undefined : this.props.stageFunctions[stage.handler];
    if (fn === undefined) throw new Error(`${stage.name}: no function given for ${stage.handler ?? 'a stage without one'}`);
    this.invoked.add(fn);
    return fn;
  }

  /** cdk-nag's findings on what CDK grants a state machine, each acknowledged with why it is as narrow as it can be. */
  private acknowledgeGrants(stateMachine: StateMachine): void {
    const stack = Stack.of(this);
    const role = stateMachine.role;
    for (const fn of this.invoked) {
      const functionId = stack.getLogicalId(fn.node.defaultChild as CfnFunction);
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        reason: 'CDK grants invoking every version of each stage function (ARN:*); the state machine invokes only these functions.',
      });
    }
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'CloudWatch Logs delivery and X-Ray tracing actions of a state machine support no resource-level permissions.',
    });
    const bucketId = stack.getLogicalId(this.props.reportBucket.bucket.node.defaultChild as CfnBucket);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${WORK_PREFIX}*]`,
      reason: `A Distributed Map reads its items file, whose key under ${WORK_PREFIX} is made by the run; reading and listing are limited to ${WORK_PREFIX}.`,
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${MAP_RESULTS_PREFIX}*]`,
      reason: `A Distributed Map writes its run manifest under ${MAP_RESULTS_PREFIX}, named by the map run; writing is limited to that prefix.`,
    });
    const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stack.getLogicalId(stateMachine.node.defaultChild as CfnStateMachine)}"}]}]}`;
    // CDK puts these in a policy of their own beside the role (DistributedMapPolicy).
    for (const resource of [`${executions}:*`, `${executions}/*:*`]) {
      Validations.of(stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason: 'A Distributed Map starts, describes and stops its own child executions and map runs, whose names are made when it runs.',
      });
    }
  }
}
