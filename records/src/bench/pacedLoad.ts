import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PacedRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface PacedResult {
  /** Answers per second actually completed. */
  rps: number;
  p50: number;
  p99: number;
  completed: number;
  /** Non-2xx answers and failed connections. */
  errors: number;
}

/**
 * Open-loop load: requests leave at a fixed rate whatever the server does, over at most `connections`
 * keep-alive connections, and each latency is measured from the moment its request was due, so a stall
 * counts against every request it delays (no coordinated omission). autocannon's paced mode corrects for
 * that with an expected interval of ⌈1/rate⌉ ms, i.e. always 1 ms, which floods its histogram with
 * synthetic samples; this is the measurement we need, in a few lines.
 */
export async function pacedLoad(options: {
  baseUrl: string;
  requests: PacedRequest[];
  rate: number;
  seconds: number;
  connections: number;
}): Promise<PacedResult> {
  const { baseUrl, requests, rate, seconds, connections } = options;
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  const timeline: Array<[number, number]> | undefined = process.env.BENCH_TIMELINE ? [] : undefined;

  const send = (index: number) => {
    const due = start + (index * 1000) / rate;
    const spec = requests[index % requests.length]!;
    return new Promise<void>((resolve) => {
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: spec.method,
          path: spec.path,
          headers: spec.headers,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            timeline?.push([due - start, performance.now() - due]);
            if ((res.statusCode ?? 0) >= 300) errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(spec.body);
    });
  };

  let next = 0;
  while (next < total) {
    const now = performance.now();
    while (next < total && start + (next * 1000) / rate <= now) inFlight.push(send(next++));
    if (next < total) {
      const wait = start + (next * 1000) / rate - performance.now();
      await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    }
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  if (timeline) {
    // Worst latency per 250 ms of sending: shows whether a tail is one stall or spread out.
    const worst = new Map<number, number>();
    for (const [at, ms] of timeline) {
      const slot = Math.floor(at / 250) * 250;
      worst.set(slot, Math.max(worst.get(slot) ?? 0, ms));
    }
    const slots = [...worst].sort((a, b) => a[0] - b[0]).map(([slot, ms]) => `${slot}:${ms.toFixed(0)}`);
    process.stderr.write(`[timeline] ${slots.join(' ')}\n`);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    rps: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    completed: latencies.length,
    errors,
  };
}
