import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunningPlatform } from '@telemed/launcher';
import { freePorts } from '@telemed/service-kit';

const repoRoot = resolve(import.meta.dirname, '../../..');

/** A second signaling process beside the platform's own. */
export interface SignalingNode {
  readonly url: string;
  readonly process: ChildProcess;
  /** Stops it (SIGKILL: as a crash, giving nothing up) and answers its exit code; at once if it has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * `signaling/dist/main.js` on a port of its own, on the platform's records and SFU (with the SFU secret `npm start`
 * generated in `dataDir`) and on the Redis at `redisUrl` (none: rooms in its own memory), ready when this
 * answers. `env` adds to or overrides that (e.g. `SFU_URLS` naming several SFU nodes).
 */
export async function startSignalingNode(
  platform: RunningPlatform,
  dataDir: string,
  redisUrl: string | undefined,
  env: Record<string, string> = {},
): Promise<SignalingNode> {
  const [port] = await freePorts(1);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['signaling/dist/main.js'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      SIGNALING_PORT: String(port),
      RECORDS_URL: platform.urls.records,
      SFU_URL: platform.urls.sfu,
      SFU_CONTROL_SECRET: JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).SFU_CONTROL_SECRET,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  }
  const node: SignalingNode = {
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
    const ready = await fetch(`${url}/readyz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return node;
    if (Date.now() > deadline || child.exitCode !== null) {
      await node.stop();
      throw new Error(`a second signaling node did not become ready:\n${output.join('')}`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}
