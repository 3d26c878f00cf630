/**
 * The states both state machines are made of: a stage task with the project's retries, a fan-out
 * over S3-keyed items (an inline Map up to a size, a Distributed Map beyond it), and the state
 * machine itself with its logs, tracing and the cdk-nag acknowledgements every one of them needs.
 * Every retry backs off exponentially with full jitter, so the children of a Map throttled
 * together do not come back together.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import {
  type CfnStateMachine,
  Choice,
  Condition,
  DefinitionBody,
  DistributedMap,
  JitterType,
  JsonPath,
  LogLevel,
  Map as InlineMap,
  ResultWriterV2,
  S3JsonItemReader,
  StateMachine,
  StateMachineType,
  TaskInput,
  Timeout,
  type Chain,
  type IChainable,
  type RetryProps,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { WORK_PREFIX } from '#shared/storage/bucketLayout.ts';

/** Faults of Lambda itself, throttling included (a fan-out meeting its reserved concurrency). */
export const LAMBDA_FAULTS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
/** Faults the handlers mark as worth another try: S3 throttling, 5xx and network timeouts; SNS the same. */
export const SERVICE_FAULTS = ['StorageUnavailable', 'NoticeUnavailable'];
/** A Map whose child failed for good, or whose items or results S3 could not hand over. */
export const MAP_FAULTS = ['States.ExceedToleratedFailureThreshold', 'States.ItemReaderFailed', 'States.ResultWriterFailed'];

const jittered = (props: RetryProps): RetryProps => ({ jitterStrategy: JitterType.FULL, backoffRate: 2, ...props });

export interface StageTaskOptions {
  /** The Lambda's event, built from the state; by default the whole state. */
  readonly payload?: Record<string, unknown>;
  /**
   * A Lambda that timed out (`Sandbox.Timedout`) is tried once more: for short steps that may
   * have done their work before the timeout (a copy, a publish, a notice) and are safe to repeat.
   * @default false
   */
  readonly retryTimeout?: boolean;
}

/** A stage Lambda whose JSON result lands at `resultPath`, retried with jittered backoff on transient faults. */
export function stageTask(scope: Construct, name: string, fn: IFunction, resultPath: string, options: StageTaskOptions = {}): LambdaInvoke {
  const task = new LambdaInvoke(scope, name, {
    lambdaFunction: fn,
    payloadResponseOnly: true,
    resultPath,
    retryOnServiceExceptions: false,
    // Longer than any Lambda may run (15 minutes): the function's own timeout decides, as Sandbox.Timedout.
    taskTimeout: Timeout.duration(Duration.minutes(16)),
    ...(options.payload === undefined ? {} : { payload: TaskInput.fromObject(options.payload) }),
  });
  task.addRetry(jittered({ errors: LAMBDA_FAULTS, interval: Duration.seconds(2), maxAttempts: 6, maxDelay: Duration.seconds(60) }));
  task.addRetry(jittered({ errors: SERVICE_FAULTS, interval: Duration.seconds(5), maxAttempts: 5, maxDelay: Duration.seconds(120) }));
  if (options.retryTimeout === true) task.addRetry(jittered({ errors: ['Sandbox.Timedout', 'States.Timeout'], interval: Duration.seconds(5), maxAttempts: 2 }));
  return task;
}

/** A Map or Parallel runs again (children are idempotent) when a child failed for a transient reason. */
export function retryFanOut<T extends { addRetry(props: RetryProps): unknown }>(state: T): T {
  state.addRetry(jittered({ errors: [...MAP_FAULTS, ...LAMBDA_FAULTS, ...SERVICE_FAULTS], interval: Duration.seconds(10), maxAttempts: 2, maxDelay: Duration.seconds(120) }));
  return state;
}

/** The Distributed Map reads its items file from the work folder only (CDK's reader would read the whole bucket). */
class WorkItemsReader extends S3JsonItemReader {
  private readonly workBucket: IBucket;

  constructor(workBucket: IBucket, key: string) {
    super({ bucket: workBucket, key });
    this.workBucket = workBucket;
  }

  override providePolicyStatements(): PolicyStatement[] {
    return [
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.workBucket.arnForObjects(`${WORK_PREFIX}*`)] }),
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.workBucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${WORK_PREFIX}*`] } } }),
    ];
  }
}

/** The Distributed Map writes its manifest under its results prefix only (CDK's writer may write anywhere in the bucket). */
class ResultsPrefixWriter extends ResultWriterV2 {
  private readonly resultsBucket: IBucket;
  private readonly resultsPrefix: string;

  constructor(resultsBucket: IBucket, resultsPrefix: string) {
    super({ bucket: resultsBucket, prefix: resultsPrefix });
    this.resultsBucket = resultsBucket;
    this.resultsPrefix = resultsPrefix;
  }

  override providePolicyStatements(): PolicyStatement[] {
    return [
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        resources: [this.resultsBucket.arnForObjects(`${this.resultsPrefix}*`)],
      }),
    ];
  }
}

export interface FanOutProps {
  /** Runs one item; its result is discarded (it leaves its figures in S3). */
  readonly itemFunction: IFunction;
  /** The items as a list in the state, for the inline Map (`$.compound.scenarios.indexes`). */
  readonly itemsPath: string;
  /** How many items there are. */
  readonly countPath: string;
  /** The S3 key of the same items as JSON objects (`[{"index":0},...]`), for the Distributed Map. */
  readonly itemsKeyPath: string;
  /** The field each item's value goes to in the child's event (`index`). */
  readonly itemField: string;
  /** The rest of the child's event, taken from the state (`{ 'workPrefix.$': '$.workPrefix' }`). */
  readonly shared: Record<string, string>;
  readonly bucket: IBucket;
  /** Where the Distributed Map writes its run's manifest (so no result list crosses the payload cap). */
  readonly resultsPrefix: string;
  /** Up to this many items run in an inline Map, more in a Distributed Map. */
  readonly inlineLimit: number;
  /** Children running at once, in either Map. */
  readonly maxConcurrency: number;
  /**
   * Where a Map goes when a child fails for good; the error lands at `$.error`. None inside a
   * Parallel branch, whose states cannot leave it: the Parallel's own Catch takes the error.
   */
  readonly onError?: IChainable | undefined;
}

/**
 * An inline Map keeps a few dozen children in the parent's history (the 25,000-event cap of a
 * standard execution); beyond `inlineLimit` a Distributed Map reads the items from S3 and runs
 * each child as its own express execution.
 */
export function fanOut(scope: Construct, name: string, props: FanOutProps): Chain {
  const child = (suffix: string) => stageTask(scope, `${name}: one item${suffix}`, props.itemFunction, JsonPath.DISCARD, { retryTimeout: true });
  const inline = new InlineMap(scope, `${name} (inline)`, {
    itemsPath: props.itemsPath,
    itemSelector: { ...props.shared, [`${props.itemField}.$`]: '$$.Map.Item.Value' },
    maxConcurrency: props.maxConcurrency,
    resultPath: JsonPath.DISCARD,
  }).itemProcessor(child(''));
  const distributed = new DistributedMap(scope, `${name} (distributed)`, {
    itemReader: new WorkItemsReader(props.bucket, JsonPath.stringAt(props.itemsKeyPath)),
    itemSelector: { ...props.shared, [`${props.itemField}.$`]: `$$.Map.Item.Value.${props.itemField}` },
    resultWriterV2: new ResultsPrefixWriter(props.bucket, props.resultsPrefix),
    maxConcurrency: props.maxConcurrency,
    mapExecutionType: StateMachineType.EXPRESS,
    resultPath: JsonPath.DISCARD,
  }).itemProcessor(child(' (distributed)'));
  for (const map of [retryFanOut(inline), retryFanOut(distributed)]) if (props.onError !== undefined) map.addCatch(props.onError, { resultPath: '$.error' });
  return new Choice(scope, `${name}: how many?`)
    .when(Condition.numberLessThanEquals(props.countPath, props.inlineLimit), inline)
    .otherwise(distributed)
    .afterwards();
}

export interface PipelineStateMachineProps {
  readonly definition: IChainable;
  /** The bucket its Distributed Maps read their items from and write their manifests to. */
  readonly bucket: IBucket;
  /** Where its Distributed Maps write their manifests. */
  readonly resultsPrefix: string;
  /** Every function the machine invokes, for the acknowledgement of their `ARN:*` grants. */
  readonly functions: readonly IFunction[];
  readonly timeout: Duration;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays | undefined;
}

export function pipelineStateMachine(scope: Construct, props: PipelineStateMachineProps): StateMachine {
  const stateMachine = new StateMachine(scope, 'StateMachine', {
    definitionBody: DefinitionBody.fromChainable(props.definition),
    timeout: props.timeout,
    tracingEnabled: true,
    logs: {
      destination: new LogGroup(scope, 'StateMachineLogs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH }),
      level: LogLevel.ALL,
      includeExecutionData: true,
    },
  });
  const role = stateMachine.role;
  for (const fn of props.functions) {
    const functionId = Stack.of(scope).getLogicalId(fn.node.defaultChild as CfnFunction);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason: 'CDK grants invoking every version of each stage function (ARN:*); the state machine invokes only these functions.',
    });
  }
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'CloudWatch Logs delivery and X-Ray tracing actions of a state machine support no resource-level permissions.',
  });
  const stack = Stack.of(scope);
  const bucketId = stack.getLogicalId(props.bucket.node.defaultChild as CfnBucket);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${WORK_PREFIX}*]`,
    reason: 'A Distributed Map reads its items file, whose key under work/ is made by the run; reading and listing are limited to work/.',
  });
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${props.resultsPrefix}*]`,
    reason: `A Distributed Map writes its run manifest under ${props.resultsPrefix}, named by the map run; writing is limited to that prefix.`,
  });
  const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stack.getLogicalId(stateMachine.node.defaultChild as CfnStateMachine)}"}]}]}`;
  // CDK puts these in a policy of their own beside the role (DistributedMapPolicy).
  for (const resource of [`${executions}:*`, `${executions}/*:*`]) {
    Validations.of(stateMachine).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${resource}]`,
      reason: 'A Distributed Map starts, describes and stops its own child executions and map runs, whose names are made when it runs.',
    });
  }
  return stateMachine;
}
