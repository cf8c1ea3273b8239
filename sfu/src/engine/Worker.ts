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
  readonly pid: number;
  readonly closed: boolean;
  readonly died: boolean;
  createRouter(options?: RouterOptions): Promise<Router>;
  getResourceUsage(): Promise<WorkerResourceUsage>;
  close(): void;
}
