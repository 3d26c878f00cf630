/**
 * GET /api/portfolio/limits in the cloud (the answer itself is tested with no AWS in
 * test/unit/limitsResponse.test.ts): the handler against a real S3 API (moto_server), and the
 * synthesized API: IAM authorization on every method, the function reading latest/ and the
 * reports' limits.json only, access logs, the LimitsEndpoint output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '#scripts/invoke.ts';
import { limitsResponse, NO_LIMITS_MESSAGE, NO_REPORT_MESSAGE } from '#shared/report/limitsResponse.ts';
import { LATEST_POINTER_KEY } from '#shared/storage/bucketLayout.ts';
import { pointHandlersAt, startMotoServer, type MotoServer } from '#test/support/motoServer.ts';
import { functionLogicalId, REGION, synthesizedTemplate } from '#test/support/synthesizedStack.ts';
import { EVENTS_FOLDER } from '#test/support/paths.ts';
import { LIMITS_TEXT } from '#test/support/limitsFixture.ts';

type Handler = (event: unknown, context: Context) => Promise<APIGatewayProxyResult>;

describe('the handler against S3 (moto_server)', () => {
  const bucket = 'portfolio-combiner-limits-test';
  const sample = JSON.parse(readFileSync(join(EVENTS_FOLDER, 'get-limits.json'), 'utf8')) as APIGatewayProxyEvent;
  const savedEnvironment = { ...process.env };
  let moto: MotoServer;
  let s3: S3Client;
  let handlerModule: { handler: Handler; limitsRequestSchema: { safeParse(value: unknown): { success: boolean } } };
  const call = (event: unknown = sample): Promise<APIGatewayProxyResult> => handlerModule.handler(event, lambdaContext('get-limits'));
  const put = (key: string, body: string) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

  beforeAll(async () => {
    moto = await startMotoServer();
    s3 = new S3Client({ ...pointHandlersAt(moto, bucket, REGION, 'SILENT'), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    handlerModule = (await import('#functions/get-limits.ts')) as unknown as typeof handlerModule;
  }, 30_000);

  afterAll(async () => {
    await moto?.stop();
    for (const key of Object.keys(process.env)) if (!(key in savedEnvironment)) delete process.env[key];
    Object.assign(process.env, savedEnvironment);
  });

  it('accepts events/get-limits.json (an IAM-signed GET) and refuses an event that is not from API Gateway', () => {
    expect(handlerModule.limitsRequestSchema.safeParse(sample).success).toBe(true);
    expect(sample.requestContext.identity.userArn).toMatch(/^arn:aws:sts::/);
    expect(handlerModule.limitsRequestSchema.safeParse({ httpMethod: 'GET', path: '/api/portfolio/limits' }).success).toBe(false);
    expect(handlerModule.limitsRequestSchema.safeParse({ trigger: 'manual' }).success).toBe(false);
  });

  it('answers 404 while no run has published, and 404 with the part-B message once one has without limits.json', async () => {
    const none = await call();
    expect(none.statusCode).toBe(404);
    expect(JSON.parse(none.body)).toEqual({ message: NO_REPORT_MESSAGE });

    await put(LATEST_POINTER_KEY, JSON.stringify({ runId: 'r1', report: 'runs/r1/report/', files: ['summary.json'] }));
    await put('runs/r1/report/summary.json', '{}');
    const partA = await call();
    expect(partA.statusCode).toBe(404);
    expect(partA.headers?.['Content-Type']).toBe('application/json');
    expect(JSON.parse(partA.body)).toEqual({ message: NO_LIMITS_MESSAGE });
  });

  it('answers 200 with the limits.json of the report latest/run.json points to, once a run wrote it', async () => {
    await put('runs/r2/report/limits.json', LIMITS_TEXT);
    await put(LATEST_POINTER_KEY, JSON.stringify({ runId: 'r2', report: 'runs/r2/report/', files: ['limits.json', 'summary.json'] }));
    const response = await call();
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe('application/json');
    expect(response.body).toBe(LIMITS_TEXT);
    await put(LATEST_POINTER_KEY, JSON.stringify({ runId: 'r1', report: 'runs/r1/report/', files: ['summary.json'] }));
    expect((await call()).statusCode).toBe(404);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: LATEST_POINTER_KEY }));
    expect(JSON.parse((await call()).body)).toEqual({ message: NO_REPORT_MESSAGE });
  });

  it('answers 405 to any other method without reading S3', async () => {
    for (const httpMethod of ['POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']) {
      const response = await call({ ...sample, httpMethod, requestContext: { ...sample.requestContext, httpMethod } });
      expect(response.statusCode, httpMethod).toBe(405);
      expect(response.headers?.['Allow']).toBe('GET');
    }
  });

  it('answers 502 with a message and the request id, never a stack trace, when S3 cannot be read', async () => {
    process.env['BUCKET_NAME'] = 'no-such-bucket';
    try {
      const response = await call();
      expect(response.statusCode).toBe(502);
      expect(response.headers?.['Content-Type']).toBe('application/json');
      const body = JSON.parse(response.body) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['message', 'requestId']);
      expect(body['requestId']).toBe(sample.requestContext.requestId);
      expect(response.body).not.toMatch(/\n\s+at |NoSuchBucket|\.ts:\d+/);
    } finally {
      process.env['BUCKET_NAME'] = bucket;
    }
  });
});

describe('the synthesized API', () => {
  type Json = Record<string, unknown>;
  type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
  let template: Template;

  beforeAll(() => {
    template = synthesizedTemplate();
  });

  const methods = (): Record<string, { Properties: Json }> => template.findResources('AWS::ApiGateway::Method') as Record<string, { Properties: Json }>;
  const logicalIdOf = (type: string, properties: Json): string => {
    const [found, ...more] = Object.keys(template.findResources(type, { Properties: properties }));
    expect(more, type).toEqual([]);
    return found ?? '';
  };

  it('serves GET /api/portfolio/limits with IAM authorization through the get-limits function', () => {
    const api = logicalIdOf('AWS::ApiGateway::RestApi', {});
    const apiPart = logicalIdOf('AWS::ApiGateway::Resource', { PathPart: 'api', ParentId: { 'Fn::GetAtt': [api, 'RootResourceId'] } });
    const portfolio = logicalIdOf('AWS::ApiGateway::Resource', { PathPart: 'portfolio', ParentId: { Ref: apiPart } });
    const limits = logicalIdOf('AWS::ApiGateway::Resource', { PathPart: 'limits', ParentId: { Ref: portfolio } });
    const functionId = functionLogicalId(template, 'get-limits');
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      ResourceId: { Ref: limits },
      AuthorizationType: 'AWS_IAM',
      RequestValidatorId: Match.anyValue(),
      Integration: Match.objectLike({
        Type: 'AWS_PROXY',
        IntegrationHttpMethod: 'POST',
        Uri: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [functionId, 'Arn'] }])] },
      }),
    });
  });

  it('has no method without IAM authorization: other methods on the path reach the function (405) only signed', () => {
    const all = Object.values(methods());
    expect(all.map((method) => method.Properties['HttpMethod']).sort()).toEqual(['ANY', 'GET']);
    for (const method of all) expect(method.Properties['AuthorizationType'], String(method.Properties['HttpMethod'])).toBe('AWS_IAM');
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
  });

  it('lets the function only read objects under latest/, list that prefix, and read the limits.json of run reports', () => {
    const functionId = functionLogicalId(template, 'get-limits');
    const lambda = template.findResources('AWS::Lambda::Function')[functionId] as { Properties: { Role: { 'Fn::GetAtt': [string, string] }; Environment: { Variables: Json } } };
    expect(lambda.Properties.Environment.Variables['BUCKET_NAME']).toEqual({ Ref: expect.stringMatching(/^ReportsBucket/) });
    const roleId = lambda.Properties.Role['Fn::GetAtt'][0];
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } } }[];
    const statements = policies.filter((policy) => policy.Properties.Roles.some((role) => role.Ref === roleId)).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const s3Statements = statements.filter((statement) => ([] as string[]).concat(statement.Action).some((action) => action.startsWith('s3:')));
    expect(s3Statements).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^ReportsBucket/), 'Arn'] }, '/latest/*']] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^ReportsBucket/), 'Arn'] }, '/runs/*/report/limits.json']] },
        ],
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ReportsBucket/), 'Arn'] },
        Condition: { StringLike: { 's3:prefix': ['latest/*'] } },
      },
    ]);
    const others = statements.flatMap((statement) => ([] as string[]).concat(statement.Action)).filter((action) => !action.startsWith('s3:'));
    expect(others.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('logs every request to an access log group kept a month, and logs, measures, traces and throttles the stage', () => {
    const stages = Object.values(template.findResources('AWS::ApiGateway::Stage')) as { Properties: Json }[];
    expect(stages).toHaveLength(1);
    const stage = stages[0]?.Properties ?? {};
    const accessLog = stage['AccessLogSetting'] as { DestinationArn: { 'Fn::GetAtt': [string, string] }; Format: string };
    const groupId = accessLog.DestinationArn['Fn::GetAtt'][0];
    expect(template.findResources('AWS::Logs::LogGroup')[groupId]).toMatchObject({ Properties: { RetentionInDays: 30 } });
    expect(JSON.parse(accessLog.Format)).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      caller: '$context.identity.caller',
      user: '$context.identity.user',
      httpMethod: '$context.httpMethod',
      resourcePath: '$context.resourcePath',
      status: '$context.status',
    });
    expect(stage).toMatchObject({
      StageName: 'prod',
      TracingEnabled: true,
      MethodSettings: [
        {
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          MetricsEnabled: true,
          ThrottlingRateLimit: 10,
          ThrottlingBurstLimit: 20,
        },
      ],
    });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
  });

  it("keeps API Gateway's execution logs a month in the group named as API Gateway names it, created before the stage", () => {
    const api = logicalIdOf('AWS::ApiGateway::RestApi', {});
    const groups = template.findResources('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: api }, '/prod']] } },
    });
    expect(Object.values(groups)).toEqual([expect.objectContaining({ Properties: expect.objectContaining({ RetentionInDays: 30 }) })]);
    const [stage] = Object.values(template.findResources('AWS::ApiGateway::Stage')) as { DependsOn?: string[] }[];
    expect(stage?.DependsOn).toEqual(expect.arrayContaining(Object.keys(groups)));
  });

  it('outputs the endpoint URL as LimitsEndpoint', () => {
    const output = template.findOutputs('LimitsEndpoint')['LimitsEndpoint'] as { Value: { 'Fn::Join': [string, unknown[]] } } | undefined;
    expect(output).toBeDefined();
    const parts = output?.Value['Fn::Join'][1] ?? [];
    expect(parts[0]).toBe('https://');
    expect(parts.at(-1)).toBe('/api/portfolio/limits');
    expect(parts).toContainEqual({ Ref: expect.stringMatching(/^LimitsApi.*DeploymentStage/) });
  });
});
