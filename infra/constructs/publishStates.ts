/**
 * How every execution ends, the same in both state machines: a finished report is sealed (copied
 * from the work folder to `runs/<runId>/report/`), published (the pointer `latest/run.json` moved
 * by a conditional write, forward only) and notified; a failure discards any partly sealed report
 * and sends the failure notice. Each execution sends one email: Notify and Notify failure share a
 * per-run marker, Notify's own failure falls through to Notify failure, and both retry SNS faults.
 */
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Fail, Succeed, type IChainable, type INextable, type State } from 'aws-cdk-lib/aws-stepfunctions';
import type { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { LATEST_PREFIX } from '#shared/storage/bucketLayout.ts';
import { stageTask } from './stageStates.ts';

/** The functions every execution ends with, by their handler file in `functions/`. */
export type EndingFunctions = Readonly<Record<'seal-report' | 'publish-latest' | 'discard-report' | 'notify', IFunction>>;

/** The names of an execution's last states. */
export interface OutcomeNames {
  /** The Fail state every failure ends in, after its notice (`Run failed`). */
  readonly failed: string;
  /** The Succeed state (`Run succeeded`). */
  readonly succeeded: string;
}

/** A last task after the notice whose failure costs nothing: the execution succeeds either way. */
export interface AfterNotice {
  /** The state's name (`Expire old runs`). */
  readonly name: string;
  /** The function it invokes. */
  readonly fn: IFunction;
  /** Where its result lands in the state. */
  readonly resultPath: string;
  /** Where its error lands, if it fails for good. */
  readonly errorPath: string;
}

export interface Endings {
  /** Where every failure goes (Catch with `resultPath: '$.error'`). */
  readonly onFailure: IChainable;
  /** Seal report -> Publish latest -> Notify -> `afterNotice`. */
  readonly publishing: State & INextable;
  /** The Publish latest state, for a machine that catches a publish it must redo from the start. */
  readonly publish: LambdaInvoke;
  /** The Notify state, for a path that only sends a notice. */
  readonly notify: LambdaInvoke;
}

export function executionEndings(scope: Construct, functions: EndingFunctions, names: OutcomeNames, afterNotice?: AfterNotice): Endings {
  const failed = new Fail(scope, names.failed, { error: 'RunFailed', cause: `A stage failed; the failure notice says what, and what ${LATEST_PREFIX} shows.` });
  const notifyFailure = stageTask(scope, 'Notify failure', functions['notify'], '$.notified', { retryTimeout: true });
  notifyFailure.addCatch(failed, { resultPath: '$.noticeError' }).next(failed);
  const discard = stageTask(scope, 'Discard report', functions['discard-report'], '$.discarded', { retryTimeout: true });
  // A failure to clean up must not cost the notice: it says what happened either way.
  discard.addCatch(notifyFailure, { resultPath: '$.discardError' }).next(notifyFailure);

  const notify = stageTask(scope, 'Notify', functions['notify'], '$.notified', { retryTimeout: true });
  notify.addCatch(notifyFailure, { resultPath: '$.error' });
  const succeeded = new Succeed(scope, names.succeeded);
  if (afterNotice === undefined) notify.next(succeeded);
  else notify.next(stageTask(scope, afterNotice.name, afterNotice.fn, afterNotice.resultPath).addCatch(succeeded, { resultPath: afterNotice.errorPath }).next(succeeded));

  const seal = stageTask(scope, 'Seal report', functions['seal-report'], '$.sealed', { retryTimeout: true });
  const publish = stageTask(scope, 'Publish latest', functions['publish-latest'], '$.published', { retryTimeout: true });
  seal.addCatch(discard, { resultPath: '$.error' }).next(publish.addCatch(discard, { resultPath: '$.error' })).next(notify);
  return { onFailure: discard, publishing: seal, publish, notify };
}
