import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ChildServiceOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  healthUrl: string;
  /** Lines at warn level or above (and any non-JSON line) are echoed here. */
  echo: (line: string) => void;
}

/** One platform service run as a child process: its output goes to a log file, problems to the console. */
export class ChildService {
  readonly name: string;
  readonly healthUrl: string;
  readonly #options: ChildServiceOptions;
  #child: ChildProcess | undefined;
  #log: WriteStream | undefined;
  #exited: Promise<number | null> | undefined;
  #stopping = false;
  readonly #recentLines: string[] = [];

  constructor(options: ChildServiceOptions) {
    this.name = options.name;
    this.healthUrl = options.healthUrl;
    this.#options = options;
  }

  /** Spawns the process; `onUnexpectedExit` fires if it ends before `stop` was called. */
  start(onUnexpectedExit: (code: number | null) => void): void {
    const { command, args, cwd, env, logFile, name, echo } = this.#options;
    this.#log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.#log?.write(`${line}\n`);
        this.#recentLines.push(line);
        if (this.#recentLines.length > 20) this.#recentLines.shift();
        if (isWorthEchoing(line)) echo(`[${name}] ${line}`);
      });
    }
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.#log?.end();
        resolve(code);
        if (!this.#stopping) onUnexpectedExit(code);
      });
    });
  }

  /** The last lines the process printed, for the message when it dies. */
  get recentOutput(): string[] {
    return [...this.#recentLines];
  }

  /** Polls `/healthz` until it answers 200; rejects after `timeoutMs` or if the process dies. */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.#exited?.then(() => {
      exited = true;
    });
    while (Date.now() < deadline && !exited) {
      try {
        const res = await fetch(this.healthUrl, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(
      exited
        ? `${this.name} exited during start-up`
        : `${this.name} did not answer ${this.healthUrl} within ${timeoutMs / 1000} s`,
    );
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  async stop(graceMs = 8000): Promise<void> {
    this.#stopping = true;
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(killer);
  }
}

function isWorthEchoing(line: string): boolean {
  if (!line.startsWith('{')) return line.trim().length > 0;
  try {
    const level = (JSON.parse(line) as { level?: unknown }).level;
    return typeof level === 'number' && level >= 40;
  } catch {
    return true;
  }
}
