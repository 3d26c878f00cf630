/**
 * Progress on standard error for runs long enough to need it: nothing in the first second,
 * then a line per stage and at most one progress line a second, with an estimate of what is left.
 */
import type { ProgressEvent } from '#shared/pipeline/progress.ts';
import type { PipelineObserver } from '#shared/pipeline/stageTimer.ts';

const QUIET_FOR_MS = 1000;

export function progressPrinter(write: (line: string) => void, now: () => number = () => performance.now()): PipelineObserver {
  const started = now();
  let lastLine = started;
  let stageStarted = started;
  const long = (): boolean => now() - started >= QUIET_FOR_MS;
  const seconds = (milliseconds: number): string => `${(milliseconds / 1000).toFixed(1)} s`;
  return {
    stageStarted(stage, position, count) {
      stageStarted = now();
      if (long()) write(`[${position}/${count}] ${stage} ...`);
    },
    stageFinished(stage, position, count, milliseconds) {
      if (long()) write(`[${position}/${count}] ${stage} done in ${seconds(milliseconds)}`);
    },
    progress(event: ProgressEvent) {
      const time = now();
      if (!long() || time - lastLine < QUIET_FOR_MS) return;
      lastLine = time;
      const spent = time - stageStarted;
      const left = event.done === 0 ? '' : `, about ${seconds((spent / event.done) * (event.total - event.done))} left`;
      write(`    ${event.stage}: ${event.done} of ${event.total} (${seconds(time - started)} elapsed${left})`);
    },
  };
}
