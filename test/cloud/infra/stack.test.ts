/**
 * The synthesized CloudFormation template, checked the way a reviewer would: what is created,
 * that data is encrypted and reached only over TLS, that each function and each state machine may
 * touch only its prefixes (writes only under work/, runs/, latest/), that stages, Maps and the
 * Parallel retry with jitter and fail into a notice, that every dead-letter queue has an alarm,
 * that the schedule and quiet window follow the context, and that cdk-nag's AwsSolutions checks
 * pass with every exception acknowledged.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_MEMORY_MB } from '#infra/functionMemory.ts';
import { OPTIMIZE_STAGES, RUN_STAGES, type Stage } from '#shared/pipeline/stageList.ts';
import { functionLogicalId, lambdaArn, resolvedDefinition, stackTokens, synthesizedTemplate, testApp, type MachineName } from '#test/support/synthesizedStack.ts';

const STAGE_HANDLERS = ['load-validate', 'align-scale', 'compound-reconcile', 'write-report', 'render-charts', 'write-pages', 'write-index', 'seal-report', 'publish-latest', 'discard-report', 'notify', 'expire-runs'];

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
type Json = Record<string, unknown>;

let template: Template;

beforeAll(() => {
  template = synthesizedTemplate({ notifyEmail: 'pm@example.com' });
});

function policyStatementsOf(handlerFile: string): Statement[] {
  const functionId = functionLogicalId(template, handlerFile);
  const lambda = template.findResources('AWS::Lambda::Function')[functionId] as { Properties: { Role: { 'Fn::GetAtt': [string, string] } } };
  const roleId = lambda.Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } } }[];
  return policies.filter((policy) => policy.Properties.Roles.some((role) => role.Ref === roleId)).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** The S3 object keys patterns a statement reaches, e.g. `runs/*`. */
function objectPrefixes(statement: Statement): string[] {
  const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
  return resources.flatMap((resource) => {
    const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    const last = join?.[1].at(-1);
    return typeof last === 'string' ? [last.replace(/^\//, '')] : [];
  });
}

function s3Grants(handlerFile: string): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const statement of policyStatementsOf(handlerFile)) {
    const actions = ([] as string[]).concat(statement.Action).filter((action) => action.startsWith('s3:'));
    if (actions.length === 0) continue;
    const targets = actions.includes('s3:ListBucket')
      ? [`list ${JSON.stringify((statement.Condition as Json | undefined)?.['StringLike'])}`]
      : objectPrefixes(statement);
    for (const target of targets) grants[target] = [...(grants[target] ?? []), ...actions].sort();
  }
  return grants;
}

describe('the report bucket', () => {
  it('is encrypted, versioned, private and logged', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'report-bucket/' }),
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
  });

  it('refuses every request that does not use TLS', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as { Properties: { PolicyDocument: { Statement: Statement[] } } }[];
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('expires intermediate columns after a week by lifecycle, and old runs by the run state machine (which spares the published run), after the configured days', () => {
    const bucket = Object.values(template.findResources('AWS::S3::Bucket', { Properties: { VersioningConfiguration: { Status: 'Enabled' } } }))[0] as { Properties: { LifecycleConfiguration: { Rules: Json[] } } };
    const rules = bucket.Properties.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(expect.objectContaining({ Prefix: 'work/', ExpirationInDays: 7, Status: 'Enabled' }));
    // No lifecycle rule may expire runs/: it would delete the run latest/run.json points to.
    expect(rules.filter((rule) => rule['Prefix'] === 'runs/' || (rule['Prefix'] === undefined && rule['ExpirationInDays'] !== undefined))).toEqual([]);
    const retention = (from: Template) =>
      (from.findResources('AWS::Lambda::Function')[functionLogicalId(from, 'expire-runs')] as { Properties: { Environment: { Variables: Json } } }).Properties.Environment.Variables['RUN_RETENTION_DAYS'];
    expect(retention(template)).toBe('90');
    expect(retention(synthesizedTemplate({ runRetentionDays: 30 }))).toBe('30');
  });
});

describe('least privilege', () => {
  it('lets each stage read and write only the prefixes it needs: the report is written under work/, sealed to runs/, pointed at from latest/', () => {
    const readWriteWork = { 'work/*': ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'] };
    const listOf = (prefix: string) => `list {"s3:prefix":["${prefix}*"]}`;
    // Load+Validate reads the pointer to compare with the published run's inputs (SPEC 19.2).
    expect(s3Grants('load-validate')).toEqual({
      'runs/*': ['s3:GetObject'],
      'work/*': ['s3:AbortMultipartUpload', 's3:PutObject'],
      [listOf('runs/')]: ['s3:ListBucket'],
      'latest/*': ['s3:GetObject'],
      [listOf('latest/')]: ['s3:ListBucket'],
    });
    for (const stage of ['align-scale', 'compound-reconcile', 'write-report', 'render-charts', 'write-pages', 'write-index']) expect(s3Grants(stage), stage).toEqual(readWriteWork);
    expect(s3Grants('seal-report')).toEqual({
      'work/*': ['s3:GetObject'],
      [listOf('work/')]: ['s3:ListBucket'],
      'runs/*': ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      [listOf('runs/')]: ['s3:ListBucket'],
    });
    expect(s3Grants('publish-latest')).toEqual({
      [listOf('runs/')]: ['s3:ListBucket'],
      'latest/*': ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      [listOf('latest/')]: ['s3:ListBucket'],
    });
    for (const cleaner of ['discard-report', 'expire-runs']) {
      expect(s3Grants(cleaner), cleaner).toEqual({
        'runs/*': ['s3:DeleteObject', 's3:GetObject'],
        [listOf('runs/')]: ['s3:ListBucket'],
        'latest/*': ['s3:GetObject'],
        [listOf('latest/')]: ['s3:ListBucket'],
      });
    }
    expect(s3Grants('notify')).toEqual({
      'work/*': ['s3:GetObject'],
      'runs/*': ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      [listOf('runs/')]: ['s3:ListBucket'],
      'latest/*': ['s3:GetObject'],
      [listOf('latest/')]: ['s3:ListBucket'],
    });
    for (const mapChild of ['run-scenario', 'evaluate-candidate', 'optimizer-step', 'finish-optimizer']) expect(s3Grants(mapChild), mapChild).toEqual(readWriteWork);
    expect(s3Grants('start-run')).toEqual({
      'incoming/*': ['s3:GetObject'],
      [listOf('incoming/')]: ['s3:ListBucket'],
      'runs/*': ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      'work/uploads/*': ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
    });
  });

  it('lets the state machines themselves read items only under work/ and write only their Distributed Map manifests under work/map-results/', () => {
    const roles = Object.values(template.findResources('AWS::StepFunctions::StateMachine')).map(
      (machine) => ((machine as { Properties: { RoleArn: { 'Fn::GetAtt': [string, string] } } }).Properties.RoleArn['Fn::GetAtt'][0]),
    );
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } } }[];
    for (const role of roles) {
      const statements = policies.filter((policy) => policy.Properties.Roles.some((entry) => entry.Ref === role)).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
      const s3 = statements.filter((statement) => ([] as string[]).concat(statement.Action).some((action) => action.startsWith('s3:')));
      const writes = s3.filter((statement) => ([] as string[]).concat(statement.Action).includes('s3:PutObject')).flatMap(objectPrefixes);
      expect(writes, role).toEqual(['work/map-results/*']);
      const reads = s3.filter((statement) => ([] as string[]).concat(statement.Action).includes('s3:GetObject')).flatMap(objectPrefixes).sort();
      expect(reads, role).toEqual(['work/*', 'work/map-results/*']);
      for (const statement of s3) expect(JSON.stringify(statement.Resource), role).not.toMatch(/"\/\*"|:::\*"/);
    }
  });

  it("sets each stage's memory to the figure bench:stages measured it against (infra/functionMemory.ts)", () => {
    for (const [handler, megabytes] of Object.entries(FUNCTION_MEMORY_MB)) {
      const fn = template.findResources('AWS::Lambda::Function')[functionLogicalId(template, handler)] as { Properties: Json };
      expect(fn.Properties['MemorySize'], handler).toBe(megabytes);
    }
  });

  it('reserves concurrency for every function a Map fans out to, so a fan-out cannot throttle the account, from context', () => {
    const reserved = (from: Template, handler: string) =>
      (from.findResources('AWS::Lambda::Function')[functionLogicalId(from, handler)] as { Properties: Json }).Properties['ReservedConcurrentExecutions'];
    for (const handler of ['run-scenario', 'evaluate-candidate', 'render-charts', 'write-pages']) expect(reserved(template, handler), handler).toBe(10);
    expect(reserved(template, 'load-validate')).toBeUndefined();
    expect(reserved(synthesizedTemplate({ mapConcurrency: 4 }), 'run-scenario')).toBe(4);
    expect(reserved(synthesizedTemplate({ fanOutReservedConcurrency: 0 }), 'run-scenario')).toBeUndefined();
  });

  it('gives no function a wildcard S3 action, and only the notifier may publish and only the starter may start runs', () => {
    const handlers = [...STAGE_HANDLERS, 'run-scenario', 'plan-monte-carlo', 'run-bootstrap-chunk', 'merge-monte-carlo', 'optimizer-step', 'evaluate-candidate', 'finish-optimizer', 'start-run', 'get-limits'];
    for (const handler of handlers) {
      const actions = policyStatementsOf(handler).flatMap((statement) => ([] as string[]).concat(statement.Action));
      expect(actions.filter((action) => action.endsWith('*') && action.startsWith('s3:')), handler).toEqual([]);
      expect(actions.includes('sns:Publish'), handler).toBe(handler === 'notify');
      expect(actions.includes('states:StartExecution'), handler).toBe(handler === 'start-run');
    }
  });
});

describe('the functions', () => {
  it('run Node.js 24 with tracing, on arm64 except the chart drawers (their canvas binary is linux-x64), and keep their logs a month', () => {
    const functions = template.findResources('AWS::Lambda::Function') as Record<string, { Properties: Json }>;
    // 12 run stages, its scenario Map child, the bootstrap's plan, Map child and merge (SPEC 20), the starter, 3 optimizer functions, the limits endpoint.
    expect(Object.keys(functions)).toHaveLength(21);
    const chartDrawers = [functionLogicalId(template, 'render-charts'), functionLogicalId(template, 'finish-optimizer')];
    for (const [logicalId, fn] of Object.entries(functions)) {
      const architecture = chartDrawers.includes(logicalId) ? 'x86_64' : 'arm64';
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: [architecture], TracingConfig: { Mode: 'Active' } });
    }
    // One per function, one per state machine, the API's access and execution logs.
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup')) as { Properties: Json }[];
    expect(logGroups).toHaveLength(25);
    for (const group of logGroups) expect(group.Properties['RetentionInDays']).toBe(30);
  });
});

describe('the state machines', () => {
  const definition = (machine: MachineName = 'Run', from: Template = template) =>
    resolvedDefinition(from, machine, stackTokens('reports')).definition as { States: Record<string, Json> };
  const lambdaFaults = ['Lambda.ClientExecutionTimeoutException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];
  const retries = [
    { ErrorEquals: lambdaFaults, IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' },
    { ErrorEquals: ['StorageUnavailable', 'NoticeUnavailable'], IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 120, JitterStrategy: 'FULL' },
  ];
  const timeoutRetry = { ErrorEquals: ['Sandbox.Timedout', 'States.Timeout'], IntervalSeconds: 5, MaxAttempts: 2, BackoffRate: 2, JitterStrategy: 'FULL' };
  const fanOutRetry = [
    {
      ErrorEquals: ['States.ExceedToleratedFailureThreshold', 'States.ItemReaderFailed', 'States.ResultWriterFailed', ...lambdaFaults, 'StorageUnavailable', 'NoticeUnavailable'],
      IntervalSeconds: 10,
      MaxAttempts: 2,
      BackoffRate: 2,
      MaxDelaySeconds: 120,
      JitterStrategy: 'FULL',
    },
  ];
  const toFailureNotice = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Discard report' }];
  const itemProcessorStates = (map: Json | undefined) => Object.entries((map?.['ItemProcessor'] as { States: Record<string, Json> }).States);

  it('runs the stages in order, the scenarios as a Map, the data files beside the charts and pages, then seals, publishes, notifies and expires old runs; a night without data only notifies', () => {
    const machine = definition() as { StartAt: string; States: Record<string, Json> };
    const { States } = machine;
    expect(machine.StartAt).toBe('Report or notice?');
    expect(States['Report or notice?']).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.command', StringEquals: 'unchanged', Next: 'Notify' }],
      Default: 'Load+Validate',
    });
    const order = ['Load+Validate', 'Align+Scale', 'Compound+Reconcile', 'Scenarios: how many?'];
    order.slice(0, -1).forEach((state, index) => expect(States[state]?.['Next'], state).toBe(order[index + 1]));
    for (const map of ['Scenarios (inline)', 'Scenarios (distributed)']) expect(States[map]?.['Next'], map).toBe('Plan Monte Carlo');
    // SPEC 20: the bootstrap's chunks as a Map between its plan and its merge.
    expect(States['Plan Monte Carlo']?.['Next']).toBe('Monte Carlo: how many?');
    for (const map of ['Monte Carlo (inline)', 'Monte Carlo (distributed)']) expect(States[map]?.['Next'], map).toBe('Merge Monte Carlo');
    const [[, chunk] = []] = itemProcessorStates(States['Monte Carlo (inline)']);
    expect(chunk).toMatchObject({ Resource: lambdaArn(functionLogicalId(template, 'run-bootstrap-chunk')) });
    expect(States['Merge Monte Carlo']?.['Next']).toBe('Report');
    const after = ['Report', 'Seal report', 'Publish latest', 'Notify', 'Expire old runs', 'Run succeeded'];
    after.slice(0, -1).forEach((state, index) => expect(States[state]?.['Next'], state).toBe(after[index + 1]));
    expect(States['Expire old runs']?.['Catch']).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.expireError', Next: 'Run succeeded' }]);
    const branches = (States['Report']?.['Branches'] as { StartAt: string; States: Record<string, Json> }[]).map((branch) => ({
      startAt: branch.StartAt,
      states: Object.keys(branch.States).sort(),
    }));
    expect(branches).toEqual([
      { startAt: 'Write data files', states: ['Write data files'] },
      { startAt: 'Charts: how many?', states: ['Charts (distributed)', 'Charts (inline)', 'Charts: how many?', 'Pages (distributed)', 'Pages (inline)', 'Pages: how many?', 'Write index'] },
    ]);
    const [, pagesBranch] = States['Report']?.['Branches'] as { States: Record<string, Json> }[];
    // Charts and pages fan out over chunks of levels, 10 at a time, each child reading its chunk's columns.
    for (const map of ['Charts (inline)', 'Pages (inline)']) {
      expect(pagesBranch?.States[map], map).toMatchObject({
        ItemsPath: '$.compound.reportChunks.indexes',
        ItemSelector: { 'workPrefix.$': '$.workPrefix', 'stagingPrefix.$': '$.stagingPrefix', 'chunk.$': '$$.Map.Item.Value' },
        MaxConcurrency: 10,
        Retry: fanOutRetry,
      });
    }
    expect(pagesBranch?.States['Charts (inline)']?.['Next']).toBe('Pages: how many?');
    expect(pagesBranch?.States['Pages (distributed)']).toMatchObject({ ItemReader: { Parameters: { 'Key.$': '$.compound.reportChunks.itemsKey' } }, Next: 'Write index' });
  });

  it('has a state for every stage of the stage list that has a function, invoking that function, with the result path or the Map items the list gives', () => {
    /** Every state of a definition, those inside Parallel branches and Map processors included. */
    const allStates = (states: Record<string, Json>): Record<string, Json> =>
      Object.assign(
        {},
        states,
        ...Object.values(states).flatMap((state) => [
          ...((state['Branches'] as { States: Record<string, Json> }[] | undefined) ?? []).map((branch) => allStates(branch.States)),
          ...(state['ItemProcessor'] === undefined ? [] : [allStates((state['ItemProcessor'] as { States: Record<string, Json> }).States)]),
        ]),
      ) as Record<string, Json>;
    const machines: [MachineName, readonly Stage[]][] = [
      ['Run', RUN_STAGES],
      ['Optimize', OPTIMIZE_STAGES],
    ];
    for (const [machine, stages] of machines) {
      const states = allStates(definition(machine).States);
      for (const stage of stages) {
        if (stage.handler === null) continue;
        const resource = lambdaArn(functionLogicalId(template, stage.handler));
        if (stage.fanOut === undefined) {
          expect(states[stage.name], `${machine}: ${stage.name}`).toMatchObject({ Type: 'Task', Resource: resource, ResultPath: stage.resultPath });
          continue;
        }
        expect(states[`${stage.name}: how many?`], `${machine}: ${stage.name}`).toMatchObject({ Choices: [{ Variable: stage.fanOut.countPath }] });
        expect(states[`${stage.name} (inline)`], `${machine}: ${stage.name}`).toMatchObject({ ItemsPath: stage.fanOut.itemsPath, ItemSelector: { [`${stage.fanOut.itemField}.$`]: '$$.Map.Item.Value' } });
        expect(states[`${stage.name} (distributed)`], `${machine}: ${stage.name}`).toMatchObject({ ItemReader: { Parameters: { 'Key.$': stage.fanOut.itemsKeyPath } } });
        for (const child of [`${stage.name}: one item`, `${stage.name}: one item (distributed)`]) expect(states[child], `${machine}: ${child}`).toMatchObject({ Type: 'Task', Resource: resource });
      }
    }
  });

  it("reaches those states in the stage list's order, a Parallel's branches one after the other and a loop before its way out", () => {
    type Definition = { StartAt: string; States: Record<string, Json> };
    /** State names in the order a walk from the start first meets them: branches in order, a Choice's default before its rules, Map children left out (they belong to their Map). */
    const walk = ({ StartAt, States }: Definition, seen: string[] = []): string[] => {
      const visit = (name: string | undefined): void => {
        const state = name === undefined ? undefined : States[name];
        if (name === undefined || state === undefined || seen.includes(name)) return;
        seen.push(name);
        for (const branch of (state['Branches'] as Definition[] | undefined) ?? []) walk(branch, seen);
        visit(state['Default'] as string | undefined);
        for (const rule of (state['Choices'] as { Next: string }[] | undefined) ?? []) visit(rule.Next);
        visit(state['Next'] as string | undefined);
      };
      visit(StartAt);
      return seen;
    };
    const machines: [MachineName, readonly Stage[]][] = [
      ['Run', RUN_STAGES],
      ['Optimize', OPTIMIZE_STAGES],
    ];
    for (const [machine, stages] of machines) {
      const withFunctions = stages.filter((stage) => stage.handler !== null).map((stage) => stage.name);
      const reached = walk(definition(machine) as Definition)
        .map((name) => name.replace(/: how many\?$/, ''))
        .filter((name) => withFunctions.includes(name));
      expect(reached, machine).toEqual(withFunctions);
    }
  });

  it('fans scenarios out in an inline Map up to 40, in a Distributed Map of express children reading the items from S3 beyond, 10 at a time', () => {
    const { States } = definition();
    expect(States['Scenarios: how many?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.compound.scenarios.count', NumericLessThanEquals: 40, Next: 'Scenarios (inline)' }],
      Default: 'Scenarios (distributed)',
    });
    expect(States['Scenarios (inline)']).toMatchObject({
      ItemsPath: '$.compound.scenarios.indexes',
      ItemSelector: { 'workPrefix.$': '$.workPrefix', 'index.$': '$$.Map.Item.Value' },
      MaxConcurrency: 10,
      ResultPath: null,
      Catch: toFailureNotice,
    });
    expect(States['Scenarios (distributed)']).toMatchObject({
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'reports', 'Key.$': '$.compound.scenarios.itemsKey' } },
      ItemSelector: { 'workPrefix.$': '$.workPrefix', 'index.$': '$$.Map.Item.Value.index' },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' } },
      ResultWriter: { Parameters: { Bucket: 'reports', Prefix: 'work/map-results/' } },
      MaxConcurrency: 10,
      ResultPath: null,
      Retry: fanOutRetry,
      Catch: toFailureNotice,
    });
    expect(States['Scenarios (inline)']?.['Retry']).toEqual(fanOutRetry);
    for (const map of ['Scenarios (inline)', 'Scenarios (distributed)']) {
      const [[, child] = []] = itemProcessorStates(States[map]);
      expect(child, map).toMatchObject({ Type: 'Task', Resource: lambdaArn(functionLogicalId(template, 'run-scenario')), ResultPath: null, Retry: [...retries, timeoutRetry] });
    }
  });

  it('takes the Map size limit and concurrency from context', () => {
    const { States } = definition('Run', synthesizedTemplate({ inlineMapLimit: 5, mapConcurrency: 3 }));
    expect(States['Scenarios: how many?']?.['Choices']).toEqual([expect.objectContaining({ NumericLessThanEquals: 5 })]);
    expect(States['Scenarios (inline)']?.['MaxConcurrency']).toBe(3);
    expect(States['Scenarios (distributed)']?.['MaxConcurrency']).toBe(3);
  });

  it('runs the optimizer as a loop: start, then each step\'s candidates as a Map and a choice, until the search stops', () => {
    const { States } = definition('Optimize');
    const order = ['Load+Validate', 'Align+Scale', 'Start search', 'Search done?'];
    order.slice(0, -1).forEach((state, index) => expect(States[state]?.['Next'], state).toBe(order[index + 1]));
    expect(States['Start search']?.['Parameters']).toEqual({ action: 'start', 'workPrefix.$': '$.workPrefix' });
    expect(States['Search done?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.step.done', BooleanEquals: true, Next: 'Write optimizer' }],
      Default: 'Candidates: how many?',
    });
    expect(States['Candidates: how many?']?.['Choices']).toEqual([{ Variable: '$.step.candidateCount', NumericLessThanEquals: 40, Next: 'Candidates (inline)' }]);
    expect(States['Candidates (inline)']).toMatchObject({
      ItemsPath: '$.step.candidates',
      ItemSelector: { 'workPrefix.$': '$.workPrefix', 'step.$': '$.step.step', 'strategy.$': '$$.Map.Item.Value' },
      Next: 'Choose',
    });
    expect(States['Candidates (distributed)']).toMatchObject({
      ItemReader: { Parameters: { 'Key.$': '$.step.itemsKey' } },
      ItemSelector: { 'workPrefix.$': '$.workPrefix', 'step.$': '$.step.step', 'strategy.$': '$$.Map.Item.Value.strategy' },
      Next: 'Choose',
    });
    expect(States['Choose']).toMatchObject({
      Parameters: { action: 'choose', 'workPrefix.$': '$.workPrefix', 'step.$': '$.step.step', 'itemsKey.$': '$.step.itemsKey' },
      ResultPath: '$.step',
      Next: 'Search done?',
    });
    const after = ['Write optimizer', 'Seal report', 'Publish latest', 'Notify', 'Optimize succeeded'];
    after.slice(0, -1).forEach((state, index) => expect(States[state]?.['Next'], state).toBe(after[index + 1]));
    const [[, child] = []] = itemProcessorStates(States['Candidates (inline)']);
    expect(child).toMatchObject({ Resource: lambdaArn(functionLogicalId(template, 'evaluate-candidate')) });
    expect(States['Load+Validate']?.['Resource']).toBe(lambdaArn(functionLogicalId(template, 'load-validate')));
  });

  it('retries Lambda throttling and service faults, S3 and SNS faults with jittered backoff, and sends every other error through the clean-up to the one failure notice', () => {
    const { States } = definition();
    const inReport = (States['Report']?.['Branches'] as { States: Record<string, Json> }[]).flatMap((branch) => Object.entries(branch.States));
    for (const [stage, state] of inReport.filter(([, state]) => state['Type'] === 'Task')) expect(state['Retry'], stage).toEqual(retries);
    expect(States['Report']?.['Retry']).toEqual(fanOutRetry);
    expect(States['Report']?.['Catch']).toEqual(toFailureNotice);
    for (const stage of ['Load+Validate', 'Align+Scale', 'Compound+Reconcile']) {
      expect(States[stage]?.['Retry'], stage).toEqual(retries);
      expect(States[stage]?.['Catch'], stage).toEqual(toFailureNotice);
    }
    for (const stage of ['Seal report', 'Publish latest']) expect(States[stage]?.['Retry'], stage).toEqual([...retries, timeoutRetry]);
    expect(States['Seal report']?.['Catch']).toEqual(toFailureNotice);
    // A run that compared with a run another run replaced before it published discards its sealed report and starts over (SPEC 19.2).
    expect(States['Publish latest']?.['Catch']).toEqual([{ ErrorEquals: ['ComparedWithOlderRun'], ResultPath: '$.recompare', Next: 'Discard and compare again' }, ...toFailureNotice]);
    expect(States['Discard and compare again']).toMatchObject({
      Resource: lambdaArn(functionLogicalId(template, 'discard-report')),
      Retry: [...retries, timeoutRetry],
      Catch: toFailureNotice,
      Next: 'Load+Validate',
    });
    expect(States['Load+Validate']?.['Parameters']).toEqual({ 'workPrefix.$': '$.workPrefix', 'dataPrefix.$': '$.dataPrefix', previousRun: 'latest' });
    // Every notice retries SNS; the run's Notify falls through to Notify failure, which ends the run.
    expect(States['Notify']).toMatchObject({ Retry: [...retries, timeoutRetry], Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Notify failure' }], Next: 'Expire old runs' });
    expect(States['Discard report']).toMatchObject({ Retry: [...retries, timeoutRetry], Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.discardError', Next: 'Notify failure' }], Next: 'Notify failure' });
    expect(States['Notify failure']).toMatchObject({ Retry: [...retries, timeoutRetry], Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.noticeError', Next: 'Run failed' }], Next: 'Run failed' });
    expect(States['Run failed']).toMatchObject({ Type: 'Fail', Error: 'RunFailed' });

    const optimize = definition('Optimize').States;
    for (const stage of ['Load+Validate', 'Align+Scale', 'Start search', 'Choose', 'Write optimizer']) {
      expect(optimize[stage]?.['Retry'], stage).toEqual(retries);
      expect(optimize[stage]?.['Catch'], stage).toEqual(toFailureNotice);
    }
    for (const map of ['Candidates (inline)', 'Candidates (distributed)']) {
      expect(optimize[map]?.['Retry'], map).toEqual(fanOutRetry);
      expect(optimize[map]?.['Catch'], map).toEqual(toFailureNotice);
    }
    expect(optimize['Notify']?.['Next']).toBe('Optimize succeeded');
    expect(optimize['Optimize failed']).toMatchObject({ Type: 'Fail', Error: 'RunFailed' });
  });

  it('logs every execution and traces it', () => {
    const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as { Properties: Json }[];
    expect(machines).toHaveLength(2);
    for (const machine of machines) {
      expect(machine.Properties).toMatchObject({ LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true }, TracingConfiguration: { Enabled: true } });
    }
  });

  it('lets the starter start either machine, chosen by the manual event\'s command', () => {
    const starter = template.findResources('AWS::Lambda::Function')[functionLogicalId(template, 'start-run')] as { Properties: { Environment: { Variables: Json } } };
    const machineIds = Object.keys(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(starter.Properties.Environment.Variables).toMatchObject({
      STATE_MACHINE_ARN: { Ref: machineIds.find((id) => id.startsWith('Run')) },
      OPTIMIZE_STATE_MACHINE_ARN: { Ref: machineIds.find((id) => id.startsWith('Optimize')) },
    });
  });
});

describe('triggers and notifications', () => {
  it('routes objects created under incoming/ to a queue with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: Match.objectLike({ object: { key: [{ prefix: 'incoming/' }] } }) },
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue() })],
    });
    template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }), SqsManagedSseEnabled: true });
  });

  it('watches every dead-letter queue with an alarm that emails through the topic, whose key CloudWatch may use', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const deadLetterIds = Object.keys(queues).filter((id) => id.includes('DeadLetters'));
    expect(deadLetterIds).toHaveLength(2);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as { Properties: Json }[];
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    for (const queueId of deadLetterIds) {
      const alarm = alarms.find((candidate) => JSON.stringify(candidate.Properties['Dimensions']).includes(queueId));
      expect(alarm?.Properties, queueId).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: topicId }],
      });
    }
    const [key] = Object.values(template.findResources('AWS::KMS::Key')) as { Properties: { EnableKeyRotation: boolean; KeyPolicy: { Statement: Statement[] } } }[];
    expect(key?.Properties.EnableKeyRotation).toBe(true);
    expect(key?.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }));
  });

  it('hands any number of upload events to the starter, which arms a one-time quiet check of the window set by context', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 100, MaximumBatchingWindowInSeconds: 10 });
    const starter = (from: Template) =>
      (from.findResources('AWS::Lambda::Function')[functionLogicalId(from, 'start-run')] as { Properties: { Environment: { Variables: Json } } }).Properties.Environment.Variables;
    expect(starter(template)).toMatchObject({ QUIET_WINDOW_SECONDS: '60', QUIET_CHECK_SCHEDULE: 'quiet-check', QUIET_CHECK_GROUP: expect.stringMatching(/^PortfolioCombiner-Triggers-QuietChecks-/) });
    expect(starter(synthesizedTemplate({ batchWindowSeconds: 180 }))).toMatchObject({ QUIET_WINDOW_SECONDS: '180' });
    const actions = policyStatementsOf('start-run').flatMap((statement) => ([] as string[]).concat(statement.Action));
    expect(actions).toEqual(expect.arrayContaining(['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'iam:PassRole']));
  });

  it('runs nightly at 02:00 UTC by default, or when and where the context says', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      Target: Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 3 }) }),
    });
    synthesizedTemplate({ nightlyAt: '06:30', timeZone: 'Europe/Zurich' }).hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 6 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Zurich',
    });
  });

  it('emails through an encrypted, TLS-only topic, subscribing the address given as context', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'pm@example.com' });
    synthesizedTemplate().resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('finds no unacknowledged error in the stack', () => {
    const { app } = testApp({}, { outdir: mkdtempSync(join(tmpdir(), 'pc-nag-')) });
    expect(() => app.synth()).not.toThrow();
  });

  it('is really checking: an unsafe bucket added to the stack fails the synth', () => {
    const { app, stack } = testApp({}, { outdir: mkdtempSync(join(tmpdir(), 'pc-nag-')) });
    new Bucket(stack, 'Unsafe');
    expect(() => app.synth()).toThrow(/server access logs disabled/);
  });
});
