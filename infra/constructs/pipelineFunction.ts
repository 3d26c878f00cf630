/** A pipeline Lambda with the project's defaults set once: runtime, architecture, tracing, logs, bundling. */
import { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { FONT_FILES } from '#shared/report/charts/fonts.ts';

export interface PipelineFunctionProps {
  /** The handler file in `functions/`, without `.ts` (`load-validate`). */
  readonly handlerFile: string;
  /** What the function does, for the console. */
  readonly description: string;
  /** Memory in MB; Lambda's CPU grows with it. @default 1024 */
  readonly memorySize?: number;
  /** The longest one invocation may run. @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** How long its logs are kept. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** Variables the handler reads, beside the Powertools settings and NODE_OPTIONS every function gets. @default {} */
  readonly environment?: Record<string, string>;
  /**
   * Concurrent executions set aside for (and at most allowed to) this function: a Map fan-out
   * then cannot take the whole account's concurrency, and its own excess is throttled and retried.
   * @default none (the account's unreserved pool)
   */
  readonly reservedConcurrentExecutions?: number | undefined;
  /**
   * The function draws charts: it ships @napi-rs/canvas (a native module, copied from this
   * machine's node_modules, so the function runs on x86_64 like the linux-x64 build of it) and
   * the bundled font beside the code.
   * @default false
   */
  readonly drawsCharts?: boolean;
  /**
   * The handler (a chart drawer's) starts worker threads on `functions/<handlerFile>-worker.ts`:
   * bundled the same way beside the handler's `index.mjs`, as `<handlerFile>-worker.mjs`.
   * @default false
   */
  readonly hasWorker?: boolean;
}

const functionsFolder = fileURLToPath(new URL('../../functions/', import.meta.url));
const lockFile = fileURLToPath(new URL('../../package-lock.json', import.meta.url));
const nodeModules = fileURLToPath(new URL('../../node_modules/', import.meta.url));

/** Left out of a chart drawer's bundles: the native canvas module is copied beside them as it is. */
const CHART_EXTERNALS = ['@napi-rs/canvas'];

/** Shell commands that put the canvas module, its linux-x64 binary and the font beside the bundle. */
function chartFiles(outputDir: string): string[] {
  const binary = `${nodeModules}@napi-rs/canvas-linux-x64-gnu`;
  return [
    `test -d ${binary} || { echo "${binary} is missing: npm install --os=linux --cpu=x64 installs it" >&2; exit 1; }`,
    `mkdir -p ${outputDir}/node_modules/@napi-rs ${outputDir}/fonts`,
    `cp -R ${nodeModules}@napi-rs/canvas ${binary} ${outputDir}/node_modules/@napi-rs/`,
    ...FONT_FILES.map((font) => `cp ${nodeModules}dejavu-fonts-ttf/ttf/${font} ${outputDir}/fonts/`),
  ];
}

/** The bundling options every function's code gets, its entry's and its worker's alike. */
const BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";
const TARGET = 'node24';

/** A shell command that bundles a worker's entry as NodejsFunction bundles the handler (ESM, minified, with its source map). */
function workerBundle(workerFile: string, outputDir: string, external: readonly string[]): string {
  const flags = ['--bundle', '--platform=node', '--format=esm', `--target=${TARGET}`, '--minify', '--sourcemap', '--main-fields=module,main', ...external.map((name) => `--external:${name}`)];
  return `${nodeModules}.bin/esbuild ${functionsFolder}${workerFile}.ts ${flags.join(' ')} "--banner:js=${BANNER}" --outfile=${outputDir}/${workerFile}.mjs`;
}

export class PipelineFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
    super(scope, id, {
      entry: `${functionsFolder}${props.handlerFile}.ts`,
      depsLockFilePath: lockFile,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: props.drawsCharts === true ? Architecture.X86_64 : Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.minutes(5),
      ...(props.reservedConcurrentExecutions === undefined || props.reservedConcurrentExecutions === 0 ? {} : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
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
        target: TARGET,
        minify: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // ESM bundles of CommonJS dependencies still call require().
        banner: BANNER,
        ...(props.drawsCharts === true
          ? {
              externalModules: CHART_EXTERNALS,
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_inputDir: string, outputDir: string) => [
                  ...chartFiles(outputDir),
                  ...(props.hasWorker === true ? [workerBundle(`${props.handlerFile}-worker`, outputDir, CHART_EXTERNALS)] : []),
                ],
              },
            }
          : {}),
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
