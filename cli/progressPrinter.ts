/**
 * Progress on standard error for runs long enough to need it: nothing in the first second,
 * then a line per stage and at most one progress line a second.
 */
import { STAGE_NAMES, type PipelineObserver, type StageName } from '../shared/pipeline/runPipeline.js';
import type { ProgressEvent } from '../shared/pipeline/progress.js';

const QUIET_FOR_MS = 1000;

export function progressPrinter(write: (line: string) => void, now: () => number = () => performance.now()): PipelineObserver {
  const started = now();
  let lastLine = started;
  const long = (): boolean => now() - started >= QUIET_FOR_MS;
  const step = (stage: StageName): string => `[${STAGE_NAMES.indexOf(stage) + 1}/${STAGE_NAMES.length}] ${stage}`;
  return {
    stageStarted(stage) {
      if (long()) write(`${step(stage)} ...`);
    },
    stageFinished(stage, milliseconds) {
      if (long()) write(`${step(stage)} done in ${(milliseconds / 1000).toFixed(1)} s`);
    },
    progress(event: ProgressEvent) {
      const time = now();
      if (!long() || time - lastLine < QUIET_FOR_MS) return;
      lastLine = time;
      const elapsed = (time - started) / 1000;
      write(`    ${event.stage}: ${event.done} of ${event.total} (${elapsed.toFixed(1)} s)`);
    },
  };
}
