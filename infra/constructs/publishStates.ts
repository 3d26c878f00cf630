/**
 * How every execution ends, the same in both state machines: a finished report is sealed (copied
 * from the work folder to `runs/<runId>/report/`), published (the pointer `latest/run.json` moved
 * by a conditional write, forward only) and notified; a failure discards any partly sealed report
 * and sends the failure notice. Each execution sends one email: Notify and Notify failure share a
 * per-run marker, Notify's own failure falls through to Notify failure, and both retry SNS faults.
 */
import { Fail, Succeed, type IChainable, type INextable, type State } from 'aws-cdk-lib/aws-stepfunctions';
import type { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { PipelineFunction } from './pipelineFunction.ts';
import { stageTask } from './stageStates.ts';

export interface EndingFunctions {
  readonly sealReport: PipelineFunction;
  readonly publishLatest: PipelineFunction;
  readonly discardReport: PipelineFunction;
  readonly notify: PipelineFunction;
}

export interface Endings {
  /** Where every failure goes (Catch with `resultPath: '$.error'`). */
  readonly onFailure: IChainable;
  /** Seal report -> Publish latest -> Notify -> `afterNotice`. */
  readonly publishing: State & INextable;
  /** The Notify state, for a path that only sends a notice. */
  readonly notify: LambdaInvoke;
}

export function executionEndings(
  scope: Construct,
  functions: EndingFunctions,
  names: { failed: string; succeeded: string },
  /** What runs after the notice, ending in `succeeded` (the run machine expires old runs there). */
  afterNotice?: (succeeded: Succeed) => IChainable,
): Endings {
  const failed = new Fail(scope, names.failed, { error: 'RunFailed', cause: 'A stage failed; the failure notice says what, and what latest/ shows.' });
  const notifyFailure = stageTask(scope, 'Notify failure', functions.notify, '$.notified', { retryTimeout: true });
  notifyFailure.addCatch(failed, { resultPath: '$.noticeError' }).next(failed);
  const discard = stageTask(scope, 'Discard report', functions.discardReport, '$.discarded', { retryTimeout: true });
  // A failure to clean up must not cost the notice: it says what happened either way.
  discard.addCatch(notifyFailure, { resultPath: '$.discardError' }).next(notifyFailure);

  const notify = stageTask(scope, 'Notify', functions.notify, '$.notified', { retryTimeout: true });
  notify.addCatch(notifyFailure, { resultPath: '$.error' });
  const succeeded = new Succeed(scope, names.succeeded);
  notify.next(afterNotice === undefined ? succeeded : afterNotice(succeeded));

  const seal = stageTask(scope, 'Seal report', functions.sealReport, '$.sealed', { retryTimeout: true });
  const publish = stageTask(scope, 'Publish latest', functions.publishLatest, '$.published', { retryTimeout: true });
  seal.addCatch(discard, { resultPath: '$.error' }).next(publish.addCatch(discard, { resultPath: '$.error' })).next(notify);
  return { onFailure: discard, publishing: seal, notify };
}
