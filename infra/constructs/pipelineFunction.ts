/** A pipeline Lambda with the project's defaults set once: runtime, architecture, tracing, logs, bundling. */
import { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';

export interface PipelineFunctionProps {
  /** The handler file in `functions/`, without `.ts` (`load-validate`). */
  readonly handlerFile: string;
  /** What the function does, for the console. */
  readonly description: string;
  /** @default 1024 */
  readonly memorySize?: number;
  /** @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** How long its logs are kept. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default {} */
  readonly environment?: Record<string, string>;
}

const functionsFolder = fileURLToPath(new URL('../../functions/', import.meta.url));
const lockFile = fileURLToPath(new URL('../../package-lock.json', import.meta.url));

export class PipelineFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
    super(scope, id, {
      entry: `${functionsFolder}${props.handlerFile}.ts`,
      depsLockFilePath: lockFile,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.minutes(5),
      tracing: Tracing.ACTIVE,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'portfolio-combiner',
        POWERTOOLS_METRICS_NAMESPACE: 'PortfolioCombiner',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // ESM bundles of CommonJS dependencies still call require().
        banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    const role = this.role;
    if (role !== undefined) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "AWS's managed policy for a function to write its own logs (CreateLogStream, PutLogEvents), nothing else.",
      });
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray tracing: xray:PutTraceSegments and PutTelemetryRecords support no resource-level permissions.',
      });
    }
  }
}
