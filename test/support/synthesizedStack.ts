/**
 * The stack as `cdk synth` would make it (bundling skipped: the tests run the handlers' sources),
 * and its state machine definition resolved to plain JSON: the definition that would be deployed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type AppProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '#infra/buildApp.ts';
import type { PortfolioCombinerStack } from '#infra/portfolioCombinerStack.ts';
import { REPO_ROOT } from './paths.ts';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/** The app as the CDK CLI builds it: cdk.json's context (feature flags) plus `context`. */
export function testApp(context: Record<string, unknown> = {}, props: AppProps = {}): { app: App; stack: PortfolioCombinerStack } {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  // Path metadata (as the CLI writes it) tells which handler file each Lambda was built from.
  return buildApp(
    new App({ ...props, context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true, ...context } }),
  );
}

export function synthesizedTemplate(context: Record<string, unknown> = {}): Template {
  return Template.fromStack(testApp(context).stack);
}

type Json = Record<string, unknown>;

/** The logical id of the Lambda built from `functions/<handlerFile>.ts`. */
export function functionLogicalId(template: Template, handlerFile: string): string {
  const functions = template.findResources('AWS::Lambda::Function') as Record<string, { Metadata?: Json }>;
  const found = Object.entries(functions).find(([, resource]) => String(resource.Metadata?.['aws:cdk:path'] ?? '').includes(`/${handlerFile}/`));
  if (found === undefined) throw new Error(`no Lambda built from functions/${handlerFile}.ts`);
  return found[0];
}

export function lambdaArn(logicalId: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${logicalId}`;
}

export type MachineName = 'Run' | 'Optimize';

/** A state machine's DefinitionString with every token replaced by what it stands for. */
export function resolvedDefinition(
  template: Template,
  machine: MachineName,
  resolve: (token: Json) => string,
): { definition: Json; taskFunctions: Record<string, string> } {
  const machines = template.findResources('AWS::StepFunctions::StateMachine') as Record<string, { Properties: { DefinitionString: unknown } }>;
  const found = Object.entries(machines).find(([logicalId]) => logicalId.startsWith(`${machine}StateMachine`));
  if (found === undefined) throw new Error(`no ${machine} state machine in the template`);
  const text = joinTokens(found[1].Properties.DefinitionString, resolve);
  const definition = JSON.parse(text) as { States: Record<string, Json> };
  const functions = template.findResources('AWS::Lambda::Function') as Record<string, { Metadata?: Json }>;
  const taskFunctions: Record<string, string> = {};
  // Task states anywhere: at the top, in Parallel branches, in a Map's item processor.
  const visit = (states: Record<string, Json>): void => {
    for (const [stateName, state] of Object.entries(states)) {
      if (state['Type'] === 'Task') {
        const logicalId = String(state['Resource']).split(':').pop() ?? '';
        const path = String(functions[logicalId]?.Metadata?.['aws:cdk:path'] ?? '');
        taskFunctions[stateName] = path.split('/').at(-2) ?? '';
      }
      for (const branch of (state['Branches'] as { States: Record<string, Json> }[] | undefined) ?? []) visit(branch.States);
      const processor = (state['ItemProcessor'] ?? state['Iterator']) as { States: Record<string, Json> } | undefined;
      if (processor !== undefined) visit(processor.States);
    }
  };
  visit(definition.States);
  return { definition, taskFunctions };
}

function joinTokens(value: unknown, resolve: (token: Json) => string): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join === undefined) return resolve(value as Json);
  return join[1].map((part) => joinTokens(part, resolve)).join(join[0]);
}

/** Resolves a definition's tokens: a Lambda's `Fn::GetAtt [X, Arn]` to its ARN, the partition, the bucket's name. */
export function stackTokens(bucketName: string): (token: Json) => string {
  return (token) => {
    const getAtt = token['Fn::GetAtt'] as [string, string] | undefined;
    if (getAtt !== undefined && getAtt[1] === 'Arn') return lambdaArn(getAtt[0]);
    const ref = token['Ref'];
    if (ref === 'AWS::Partition') return 'aws';
    if (typeof ref === 'string' && ref.startsWith('ReportsBucket')) return bucketName;
    throw new Error(`a token the test cannot resolve: ${JSON.stringify(token)}`);
  };
}
