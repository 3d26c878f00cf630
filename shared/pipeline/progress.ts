/** Stages say how far along they are; the command line decides what to show. */
export interface ProgressEvent {
  stage: string;
  done: number;
  total: number;
}

export type ProgressListener = (event: ProgressEvent) => void;
