/**
 * Runs a pipeline's stages in order and tells an observer when each starts and ends; each stage
 * is also a User Timing measure named `stage:<name>`, which the benchmark's probe reads.
 */
import type { ProgressListener } from './progress.ts';

export interface PipelineObserver {
  stageStarted?(stage: string, position: number, count: number): void;
  stageFinished?(stage: string, position: number, count: number, milliseconds: number): void;
  progress?: ProgressListener;
}

export function stageTimer<Name extends string>(names: readonly Name[], observer: PipelineObserver) {
  return async <T>(stage: Name, run: () => Promise<T>): Promise<T> => {
    const position = names.indexOf(stage) + 1;
    observer.stageStarted?.(stage, position, names.length);
    const started = performance.now();
    const output = await run();
    const ended = performance.now();
    performance.measure(`stage:${stage}`, { start: started, end: ended });
    observer.stageFinished?.(stage, position, names.length, ended - started);
    return output;
  };
}
