import { connect, type Socket } from 'node:net';
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
  /** The errors by HTTP status (0: the connection failed). */
  failures: Record<number, number>;
  /** Requests sent again because the server closed an idle kept-alive connection as they went out. */
  resent: number;
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
  // Requests are written pre-encoded on raw keep-alive sockets, as autocannon does: node's HTTP client
  // costs about half a millisecond of CPU per request, which this 2-core machine would take from the server.
  const encoded = requests.map((spec) => encodeRequest(spec, url.host));
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  const failures: Record<number, number> = {};
  const start = performance.now();
  const startedAt = Date.now();
  const timeline: Array<[number, number]> | undefined = process.env.BENCH_TIMELINE ? [] : undefined;
  const idle: HttpConnection[] = [];
  const waiting: number[] = [];
  let open = 0;
  let settled = 0;
  let allSettled: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    allSettled = resolve;
  });

  const finish = (index: number, status: number) => {
    const due = start + (index * 1000) / rate;
    const now = performance.now();
    if (status >= 200 && status < 300) {
      latencies.push(now - due);
      timeline?.push([due - start, now - due]);
    } else {
      errors++;
      failures[status] = (failures[status] ?? 0) + 1;
    }
    if (++settled === total) allSettled();
  };
  const release = (connection: HttpConnection) => {
    const index = waiting.shift();
    if (index === undefined) idle.push(connection);
    else connection.send(index, encoded[index % encoded.length]!);
  };
  let resent = 0;
  const send = (index: number) => {
    const connection = idle.pop();
    if (connection) {
      connection.send(index, encoded[index % encoded.length]!);
    } else if (open < connections) {
      open++;
      new HttpConnection(
        url,
        finish,
        release,
        (closed) => {
          open--;
          const at = idle.indexOf(closed);
          if (at >= 0) idle.splice(at, 1);
        },
        (index) => {
          resent++;
          send(index);
        },
      ).send(index, encoded[index % encoded.length]!);
    } else {
      waiting.push(index);
    }
  };

  let next = 0;
  while (next < total) {
    const now = performance.now();
    while (next < total && start + (next * 1000) / rate <= now) send(next++);
    if (next < total) {
      const wait = start + (next * 1000) / rate - performance.now();
      await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    }
  }
  if (total > 0) await done;
  const elapsed = (performance.now() - start) / 1000;
  for (const connection of idle) connection.close();
  if (timeline) {
    // Worst latency per 250 ms of sending: shows whether a tail is one stall or spread out.
    const worst = new Map<number, number>();
    for (const [at, ms] of timeline) {
      const slot = Math.floor(at / 250) * 250;
      worst.set(slot, Math.max(worst.get(slot) ?? 0, ms));
    }
    const slots = [...worst].sort((a, b) => a[0] - b[0]).map(([slot, ms]) => `${slot}:${ms.toFixed(0)}`);
    process.stderr.write(`[timeline from ${new Date(startedAt).toISOString()}] ${slots.join(' ')}\n`);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    rps: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    completed: latencies.length,
    errors,
    failures,
    resent,
  };
}

function encodeRequest(spec: PacedRequest, host: string): Buffer {
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
  const lines = [`${spec.method} ${spec.path} HTTP/1.1`, `host: ${host}`];
  for (const [name, value] of Object.entries(spec.headers ?? {})) lines.push(`${name}: ${value}`);
  if (body) lines.push(`content-length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`);
  return body ? Buffer.concat([head, body]) : head;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection carrying one request at a time; answers must have a content-length. */
class HttpConnection {
  readonly #socket: Socket;
  readonly #onAnswer: (index: number, status: number) => void;
  readonly #onIdle: (connection: HttpConnection) => void;
  #pending: Buffer = Buffer.alloc(0);
  #current: number | undefined;
  #status = 0;
  #bodyLeft = -1;
  #answered = 0;

  /**
   * `onResend`: the server closed this kept-alive connection as the request went out (its idle timeout met
   * our reuse), before answering anything; browsers send such a request again on a new connection.
   */
  constructor(
    url: URL,
    onAnswer: (index: number, status: number) => void,
    onIdle: (connection: HttpConnection) => void,
    onClose: (connection: HttpConnection) => void,
    onResend: (index: number) => void,
  ) {
    this.#onAnswer = onAnswer;
    this.#onIdle = onIdle;
    this.#socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
    this.#socket.on('data', (chunk: Buffer) => this.#read(chunk));
    const failed = () => {
      const index = this.#current;
      this.#current = undefined;
      onClose(this);
      if (index === undefined) return;
      if (this.#answered > 0 && this.#pending.length === 0 && this.#bodyLeft < 0) onResend(index);
      else onAnswer(index, 0);
    };
    this.#socket.on('error', () => {});
    this.#socket.on('close', failed);
  }

  send(index: number, request: Buffer): void {
    this.#current = index;
    this.#status = 0;
    this.#bodyLeft = -1;
    this.#socket.write(request);
  }

  close(): void {
    this.#socket.destroy();
  }

  #read(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    if (this.#bodyLeft < 0) {
      const end = this.#pending.indexOf(HEADER_END);
      if (end < 0) return;
      const head = this.#pending.subarray(0, end).toString('latin1');
      this.#status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!length) throw new Error(`answer without content-length: ${head.split('\r\n')[0]}`);
      this.#bodyLeft = Number(length[1]);
      this.#pending = this.#pending.subarray(end + 4);
    }
    if (this.#pending.length < this.#bodyLeft) return;
    const index = this.#current!;
    this.#current = undefined;
    this.#pending = this.#pending.subarray(this.#bodyLeft);
    this.#bodyLeft = -1;
    this.#answered++;
    this.#onAnswer(index, this.#status);
    this.#onIdle(this);
  }
}
