/**
 * For suites that validate: the first validation in a process loads and indexes the R4 definitions, which
 * takes seconds on a busy machine, and a full consultation validates a few dozen resources after that.
 */
export const validatingSuite = { timeout: 60_000 } as const;
