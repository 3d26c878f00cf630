/**
 * The CDK app, built the same way for `cdk synth`/`deploy` (infra/app.ts) and for the tests.
 * Settings come from context: `npx cdk deploy -c notifyEmail=pm@example.com`
 * (also `batchWindowSeconds`, `nightlyAt` HH:MM, `timeZone`, `runRetentionDays`, `inlineMapLimit`,
 * `mapConcurrency`, `fanOutReservedConcurrency`).
 * cdk-nag's AwsSolutions checks run on every synth; an unacknowledged finding fails it.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PortfolioCombinerStack, type PortfolioCombinerStackProps } from './portfolioCombinerStack.ts';

export function buildApp(app: App = new App()): { app: App; stack: PortfolioCombinerStack } {
  const context = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    return value === undefined ? undefined : String(value);
  };
  const number = (key: string): number | undefined => (context(key) === undefined ? undefined : Number(context(key)));
  const props: PortfolioCombinerStackProps = {
    notifyEmail: context('notifyEmail'),
    batchWindowSeconds: number('batchWindowSeconds'),
    nightlyAt: context('nightlyAt'),
    timeZone: context('timeZone'),
    runRetentionDays: number('runRetentionDays'),
    inlineMapLimit: number('inlineMapLimit'),
    mapConcurrency: number('mapConcurrency'),
    fanOutReservedConcurrency: number('fanOutReservedConcurrency'),
    description: 'Portfolio Combiner: combines strategy track records into account and portfolio reports',
  };
  const stack = new PortfolioCombinerStack(app, 'PortfolioCombiner', props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
