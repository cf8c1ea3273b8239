import type { EnhancedEventEmitter } from './EnhancedEventEmitter.js';
import type { Router, RouterOptions } from './Router.js';

export interface WorkerSettings {
  rtcMinPort: number;
  rtcMaxPort: number;
  logLevel?: 'debug' | 'warn' | 'error' | 'none';
}

export interface WorkerResourceUsage {
  /** User plus system CPU time in milliseconds since the worker started. */
  cpuMs: number;
  rssBytes: number;
}

export type WorkerEvents = {
  /** The worker stopped on its own (a crash); every router on it is closed. */
  died: [Error];
  listenererror: [string, unknown];
};

export interface Worker extends EnhancedEventEmitter<WorkerEvents> {
  /**
   * The OS process the worker runs in: its own for mediasoup (the C++ worker, `worker.pid`), the SFU's own for the
   * werift engines (threads of this process). The bench reads the CPU of every pid other than its own from
   * `/proc/<pid>/stat`.
   */
  readonly pid: number;
  readonly closed: boolean;
  readonly died: boolean;
  createRouter(options?: RouterOptions): Promise<Router>;
  getResourceUsage(): Promise<WorkerResourceUsage>;
  close(): void;
}
