/**
 * The time the handlers act on: the real clock in Lambda. The tests move it themselves, so the
 * quiet window of an upload, a nightly run and a run's age are checked without waiting.
 */
export const clock = { now: (): Date => new Date() };
