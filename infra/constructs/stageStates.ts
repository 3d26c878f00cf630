/**
 * The states both state machines are made of: a stage task with the project's retries, a fan-out
 * over S3-keyed items (an inline Map up to a size, a Distributed Map beyond it), and the state
 * machine itself with its logs, tracing and the cdk-nag acknowledgements every one of them needs.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import {
  type CfnStateMachine,
  Choice,
  Condition,
  DefinitionBody,
  DistributedMap,
  JsonPath,
  LogLevel,
  Map as InlineMap,
  ResultWriterV2,
  S3JsonItemReader,
  StateMachine,
  StateMachineType,
  TaskInput,
  type Chain,
  type IChainable,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/** Errors worth another try: Lambda service faults (added by CDK) and S3 faults the adapter marks. */
const TRANSIENT_STORAGE_ERRORS = ['StorageUnavailable'];

/** A stage Lambda whose JSON result lands at `resultPath`, retried on transient faults. */
export function stageTask(scope: Construct, name: string, fn: IFunction, resultPath: string, payload?: Record<string, unknown>): LambdaInvoke {
  const task = new LambdaInvoke(scope, name, {
    lambdaFunction: fn,
    payloadResponseOnly: true,
    resultPath,
    retryOnServiceExceptions: true,
    ...(payload === undefined ? {} : { payload: TaskInput.fromObject(payload) }),
  });
  task.addRetry({ errors: TRANSIENT_STORAGE_ERRORS, interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });
  return task;
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
  /** Where a Map goes when a child fails for good; the error lands at `$.error`. */
  readonly onError: IChainable;
}

/**
 * An inline Map keeps a few dozen children in the parent's history (the 25,000-event cap of a
 * standard execution); beyond `inlineLimit` a Distributed Map reads the items from S3 and runs
 * each child as its own express execution.
 */
export function fanOut(scope: Construct, name: string, props: FanOutProps): Chain {
  const child = (suffix: string) => stageTask(scope, `${name}: one item${suffix}`, props.itemFunction, JsonPath.DISCARD);
  const inline = new InlineMap(scope, `${name} (inline)`, {
    itemsPath: props.itemsPath,
    itemSelector: { ...props.shared, [`${props.itemField}.$`]: '$$.Map.Item.Value' },
    maxConcurrency: props.maxConcurrency,
    resultPath: JsonPath.DISCARD,
  }).itemProcessor(child(''));
  const distributed = new DistributedMap(scope, `${name} (distributed)`, {
    itemReader: new S3JsonItemReader({ bucket: props.bucket, key: JsonPath.stringAt(props.itemsKeyPath) }),
    itemSelector: { ...props.shared, [`${props.itemField}.$`]: `$$.Map.Item.Value.${props.itemField}` },
    resultWriterV2: new ResultWriterV2({ bucket: props.bucket, prefix: props.resultsPrefix }),
    maxConcurrency: props.maxConcurrency,
    mapExecutionType: StateMachineType.EXPRESS,
    resultPath: JsonPath.DISCARD,
  }).itemProcessor(child(' (distributed)'));
  inline.addCatch(props.onError, { resultPath: '$.error' });
  distributed.addCatch(props.onError, { resultPath: '$.error' });
  return new Choice(scope, `${name}: how many?`)
    .when(Condition.numberLessThanEquals(props.countPath, props.inlineLimit), inline)
    .otherwise(distributed)
    .afterwards();
}

export interface PipelineStateMachineProps {
  readonly definition: IChainable;
  /** The bucket its Distributed Maps read their items from and write their manifests to. */
  readonly bucket: IBucket;
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
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<${bucketId}>/*]`,
    reason: 'A Distributed Map reads its items file, whose key (under work/) is known only when the execution runs; CDK grants reading the bucket\'s objects for it.',
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
