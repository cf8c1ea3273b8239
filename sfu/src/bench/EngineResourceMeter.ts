import type { Worker } from '../engine/Worker.js';
import { clockTicksPerSecond, readProcessCpuSeconds, readProcessRssBytes } from './procfs.js';

const TICKS_PER_SECOND = clockTicksPerSecond();

/**
 * An engine's CPU over a measurement window (and its memory): this process's own (the Node side of either engine, and werift's
 * worker threads, which `process.cpuUsage` counts with it) plus every worker that runs in a process of its own
 * (mediasoup's C++ workers, `Worker.pid`), read from `/proc/<pid>/stat`. The bench's load generator runs in a
 * child process and is never counted.
 */
export class EngineResourceMeter {
  readonly #workerPids: number[];
  #selfStart = process.cpuUsage();
  #workersStart = 0;

  constructor(workers: readonly Worker[]) {
    this.#workerPids = [...new Set(workers.map((w) => w.pid))].filter((pid) => pid !== process.pid);
  }

  /** How many worker processes besides this one are measured (0 for werift). */
  get workerProcesses(): number {
    return this.#workerPids.length;
  }

  start(): void {
    this.#selfStart = process.cpuUsage();
    this.#workersStart = this.#workersCpuSeconds();
  }

  /** CPU seconds since `start()`: this process's and its worker processes'. */
  read(): { selfSeconds: number; workerSeconds: number; totalSeconds: number } {
    const self = process.cpuUsage(this.#selfStart);
    const selfSeconds = (self.user + self.system) / 1e6;
    const workerSeconds = this.#workersCpuSeconds() - this.#workersStart;
    return { selfSeconds, workerSeconds, totalSeconds: selfSeconds + workerSeconds };
  }

  /** Resident memory now: this process's and its worker processes'. */
  rssBytes(): number {
    let total = process.memoryUsage().rss;
    for (const pid of this.#workerPids) total += readProcessRssBytes(pid);
    return total;
  }

  #workersCpuSeconds(): number {
    let total = 0;
    for (const pid of this.#workerPids) total += readProcessCpuSeconds(pid, TICKS_PER_SECOND);
    return total;
  }
}
