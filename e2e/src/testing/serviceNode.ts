import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePorts } from '@telemed/service-kit';

const repoRoot = resolve(import.meta.dirname, '../../..');

/** A service process started beside the platform's own (an extra SFU or signaling node). */
export interface ServiceNode {
  readonly url: string;
  readonly process: ChildProcess;
  /** Stops it (SIGKILL: as a crash, giving nothing up) and answers its exit code; at once if it has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The SFU control secret `npm start` generated in `dataDir`. */
export function sfuControlSecret(dataDir: string): string {
  return JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).SFU_CONTROL_SECRET;
}

/**
 * `main` (a built service, relative to the repository) in production mode on `host` (127.0.0.1 unless given: the
 * field lab's nodes listen on its hub address, which its namespaces reach) and a free port, with
 * the environment `env(port)` adds; ready when `readyPath` answers 200 (within a minute, else it is stopped and
 * this throws with the process's output, naming it `what`).
 */
export async function startServiceNode(options: {
  main: string;
  env: (port: number) => Record<string, string>;
  readyPath: string;
  what: string;
  host?: string;
}): Promise<ServiceNode> {
  const [port] = await freePorts(1);
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host}:${port}`;
  const child = spawn(process.execPath, [options.main], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: host,
      ...options.env(port as number),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  }
  const node: ServiceNode = {
    url,
    process: child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`${url}${options.readyPath}`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return node;
    if (Date.now() > deadline || child.exitCode !== null) {
      await node.stop();
      throw new Error(`${options.what} did not become ready:\n${output.join('')}`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}
