/** The bench's knobs, from the environment; a bad value stops it with a message that says what to set. */
export interface BenchKnobs {
  /** Consultations, each a clinic doctor and a specialist who join, admit and set up media. */
  rooms: number;
  /** Extra connected sockets of the signed-in users that join no room (the 1,000-socket load). */
  idleSockets: number;
  /** How many rooms set themselves up at the same time (arrivals of a clinic day are spread, not one burst). */
  roomConcurrency: number;
  /** Chat messages each participant sends in each room. */
  chatMessages: number;
  /**
   * The pause between two chat messages of a room (people type; 0 sends back to back, a throughput test).
   * Each room starts at a random point of the first pause, so that 100 rooms do not speak in one burst.
   */
  chatIntervalMs: number;
  /** Vital signs the clinic records in each room. */
  vitals: number;
  /** The p99 target of join-to-ready and of the chat round trip. */
  targetP99Ms: number;
  /** The whole run (start-up included) is stopped after this. */
  timeoutSeconds: number;
}

export class BenchKnobError extends Error {}

const knobs: Record<keyof BenchKnobs, { env: string; fallback: number; min: number; max: number }> = {
  rooms: { env: 'ROOMS', fallback: 100, min: 1, max: 500 },
  idleSockets: { env: 'IDLE_SOCKETS', fallback: 800, min: 0, max: 10_000 },
  roomConcurrency: { env: 'ROOM_CONCURRENCY', fallback: 10, min: 1, max: 500 },
  chatMessages: { env: 'CHAT_MESSAGES', fallback: 5, min: 1, max: 100 },
  chatIntervalMs: { env: 'CHAT_INTERVAL_MS', fallback: 1000, min: 0, max: 60_000 },
  vitals: { env: 'VITALS', fallback: 2, min: 0, max: 100 },
  targetP99Ms: { env: 'TARGET_P99_MS', fallback: 200, min: 1, max: 60_000 },
  timeoutSeconds: { env: 'BENCH_TIMEOUT_SECONDS', fallback: 600, min: 10, max: 3600 },
};

/** Reads every knob from `env`; throws a `BenchKnobError` naming each bad one and what it accepts. */
export function readBenchKnobs(env: NodeJS.ProcessEnv): BenchKnobs {
  const problems: string[] = [];
  const values = {} as BenchKnobs;
  for (const [name, knob] of Object.entries(knobs) as Array<
    [keyof BenchKnobs, (typeof knobs)[keyof BenchKnobs]]
  >) {
    const raw = env[knob.env];
    if (raw === undefined || raw.trim() === '') {
      values[name] = knob.fallback;
      continue;
    }
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || value < knob.min || value > knob.max) {
      problems.push(
        `${knob.env}=${JSON.stringify(raw)}: expected a whole number from ${knob.min} to ${knob.max}`,
      );
      continue;
    }
    values[name] = value;
  }
  if (problems.length > 0) throw new BenchKnobError(problems.join('\n'));
  return values;
}
