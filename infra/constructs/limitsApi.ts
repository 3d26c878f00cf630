/**
 * `GET /api/portfolio/limits`, as the original position-sizing engine exposed it: the latest
 * run's limits.json through an API Gateway REST API with IAM authorization (callers sign with
 * SigV4 and need execute-api:Invoke; nothing is anonymous). Any other method on the path is
 * answered 405 by the same function. Access-logged, traced, throttled; the function may read
 * and list `latest/` and read the limits.json of run reports, nothing else.
 */
import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LIMITS_PATH } from '#shared/report/limitsResponse.ts';
import { REPORT_FILES } from '#shared/report/reportFiles.ts';
import { LATEST_POINTER_KEY, LATEST_PREFIX, runPrefixes } from '#shared/storage/bucketLayout.ts';
import { joinKey } from '#shared/storage/storage.ts';
import { PipelineFunction } from './pipelineFunction.ts';
import type { ReportBucket } from './reportBucket.ts';

export interface LimitsApiProps {
  /** The bucket whose published report's `limits.json` (in the report `latest/run.json` points to) is served. */
  readonly reportBucket: ReportBucket;
  /** How long the access logs and the function's logs are kept. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** The stage, the first part of the URL's path. @default 'prod' */
  readonly stageName?: string;
  /** Steady requests per second the stage accepts. @default 10 */
  readonly throttlingRateLimit?: number;
  /** Requests the stage accepts in a burst. @default 20 */
  readonly throttlingBurstLimit?: number;
}

export class LimitsApi extends Construct {
  /** The REST API, IAM-authorized, access-logged, throttled. */
  readonly api: RestApi;
  /** The function that answers from what `latest/run.json` points to. */
  readonly handler: PipelineFunction;
  /** `https://{api}.execute-api.{region}.amazonaws.com/{stage}/api/portfolio/limits` */
  readonly endpoint: string;

  constructor(scope: Construct, id: string, props: LimitsApiProps) {
    super(scope, id);
    const { reportBucket } = props;
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;

    this.handler = new PipelineFunction(this, 'get-limits', {
      handlerFile: 'get-limits',
      description: `GET ${LIMITS_PATH}: the latest run's limits.json`,
      memorySize: 512,
      timeout: Duration.seconds(10),
      logRetention,
      environment: { BUCKET_NAME: reportBucket.bucket.bucketName },
    });
    // Listing latest/ is what lets "no run has published" be a 404: without s3:ListBucket, S3
    // answers a GetObject of a missing key with AccessDenied. The limits.json it serves is the one
    // of the report latest/run.json points to, and that file only.
    reportBucket.grantPrefix(this.handler, LATEST_PREFIX, 'read', 'list');
    reportBucket.grantObjects(this.handler, joinKey(runPrefixes('*').reportPrefix, REPORT_FILES.limits), 'read', `The limits.json of each run report: which run is read is decided by ${LATEST_POINTER_KEY} when the request comes.`);

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: logRetention });
    const stageName = props.stageName ?? 'prod';
    this.api = new RestApi(this, 'Api', {
      restApiName: 'portfolio-combiner-limits',
      description: `Portfolio Combiner: GET ${LIMITS_PATH} (IAM authorization)`,
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // The account-level role API Gateway needs to write execution logs to CloudWatch.
      cloudWatchRole: true,
      defaultMethodOptions: { authorizationType: AuthorizationType.IAM },
      deployOptions: {
        stageName,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: props.throttlingRateLimit ?? 10,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 20,
      },
    });
    // API Gateway writes its execution logs to a group of this name, which it would otherwise
    // create itself on the first error, kept forever; created here first, it keeps them a month.
    const executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${stageName}`,
      retention: logRetention,
    });
    this.api.deploymentStage.node.addDependency(executionLogs);
    const requestValidator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'parameters-and-body',
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const integration = new LambdaIntegration(this.handler);
    const resource = this.api.root.resourceForPath(LIMITS_PATH);
    const methods = ['GET', 'ANY'].map((method) =>
      resource.addMethod(method, integration, { authorizationType: AuthorizationType.IAM, requestValidator }),
    );

    this.endpoint = this.api.urlForPath(LIMITS_PATH);
    // One output, named as the README uses it, instead of the RestApi's own (the stage's root URL).
    this.api.node.tryRemoveChild('Endpoint');
    const output = new CfnOutput(this, 'LimitsEndpoint', {
      value: this.endpoint,
      description: "GET with SigV4 (service execute-api): the latest run's limits.json",
    });
    output.overrideLogicalId('LimitsEndpoint');

    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No WAF web ACL: every method requires IAM (SigV4) authorization, so unsigned traffic is refused before any integration runs, and the stage is throttled; a web ACL would add a fixed monthly cost for one read-only GET.',
    });
    for (const method of methods) {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: `IAM is the chosen authorization of ${method.httpMethod} ${LIMITS_PATH}: its callers are AWS principals (people and services with AWS credentials) granted execute-api:Invoke, not end users of a Cognito user pool.`,
      });
    }
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole !== undefined) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: "AWS's managed policy for API Gateway's account-level CloudWatch role: it only lets API Gateway create and write its own log groups and streams.",
      });
    }
  }
}
