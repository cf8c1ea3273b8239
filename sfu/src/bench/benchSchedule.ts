/** One measured run: this engine at this level, the `run`-th time (from 0). */
export interface ScheduledRun<E> {
  level: number;
  run: number;
  engine: E;
}

/**
 * The order of the bench's runs: level by level, and within a level the engines alternating run by run (werift,
 * mediasoup, werift, mediasoup, …), so that a change in what else loads the machine falls on both engines alike
 * instead of on whichever ran second.
 */
export function benchSchedule<E>(
  levels: readonly number[],
  runs: number,
  engines: readonly E[],
): ScheduledRun<E>[] {
  const schedule: ScheduledRun<E>[] = [];
  for (const level of levels) {
    for (let run = 0; run < runs; run++) {
      for (const engine of engines) schedule.push({ level, run, engine });
    }
  }
  return schedule;
}
