/**
 * The states both state machines are made of: a stage task with the project's retries, and a
 * fan-out over S3-keyed items (an inline Map up to a size, a Distributed Map beyond it). Every
 * retry backs off exponentially with full jitter, so the children of a Map throttled together do
 * not come back together. The skeleton that composes them is pipelineStateMachine.ts.
 */
import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  Choice,
  Condition,
  DistributedMap,
  JitterType,
  JsonPath,
  Map as InlineMap,
  ResultWriterV2,
  S3JsonItemReader,
  StateMachineType,
  TaskInput,
  Timeout,
  type Chain,
  type IChainable,
  type RetryProps,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { FanOutItems } from '#shared/pipeline/stageList.ts';
import { MAP_RESULTS_PREFIX, WORK_PREFIX } from '#shared/storage/bucketLayout.ts';

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
  /** The Lambda's event, built from the state. @default the whole state */
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

export interface FanOutProps extends FanOutItems {
  /** Runs one item; its result is discarded (it leaves its figures in S3). */
  readonly itemFunction: IFunction;
  /** The rest of the child's event, taken from the state (`{ 'workPrefix.$': '$.workPrefix' }`). */
  readonly shared: Record<string, string>;
  /** The bucket whose items file the Distributed Map reads, and where it writes its manifest (under `work/map-results/`, so no result list crosses the payload cap). */
  readonly bucket: IBucket;
  /** Up to this many items run in an inline Map, more in a Distributed Map. */
  readonly inlineLimit: number;
  /** Children running at once, in either Map. */
  readonly maxConcurrency: number;
  /**
   * Where a Map goes when a child fails for good; the error lands at `$.error`. None inside a
   * Parallel branch, whose states cannot leave it: the Parallel's own Catch takes the error.
   * @default none
   */
  readonly onError?: IChainable | undefined;
}

/**
 * An inline Map keeps a few dozen children in the parent's history (the 25,000-event cap of a
 * standard execution); beyond `inlineLimit` a Distributed Map reads the items from S3 and runs
 * each child as its own express execution.
 */
export function fanOutMaps(scope: Construct, name: string, props: FanOutProps): Chain {
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
    resultWriterV2: new ResultsPrefixWriter(props.bucket, MAP_RESULTS_PREFIX),
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
