/** The Map settings of both state machines, in one place for the stack and the benchmark. */
export const FAN_OUT_DEFAULTS = {
  /** Up to this many items run in an inline Map (their events count toward the execution's 25,000), more in a Distributed Map. */
  inlineMapLimit: 40,
  /** Map children running at once. */
  mapConcurrency: 10,
} as const;
