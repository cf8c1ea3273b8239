import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePorts } from '@telemed/service-kit';

const repoRoot = resolve(import.meta.dirname, '../../..');

/** An SFU process beside the platform's own: a second node for `SFU_URLS`. */
export interface SfuNodeProcess {
  readonly url: string;
  readonly process: ChildProcess;
  /** Stops it (SIGKILL: a crash) and answers its exit code; at once if it has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * `sfu/dist/main.js` on a control port of its own and the UDP ports `rtcMin` to `rtcMin + rtcPortCount`, with
 * the control secret `npm start` generated in `dataDir` (so signaling may call it), ready when `/healthz` answers.
 * `freePorts` hands out TCP ports only, so the caller keeps the UDP ranges of its nodes apart.
 */
export async function startSfuNode(
  dataDir: string,
  rtcMin: number,
  rtcPortCount = 100,
): Promise<SfuNodeProcess> {
  const [port] = await freePorts(1);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['sfu/dist/main.js'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      SFU_PORT: String(port),
      SFU_RTC_MIN_PORT: String(rtcMin),
      SFU_RTC_MAX_PORT: String(Math.min(65535, rtcMin + rtcPortCount)),
      SFU_CONTROL_SECRET: JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).SFU_CONTROL_SECRET,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  }
  const node: SfuNodeProcess = {
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
    const ready = await fetch(`${url}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return node;
    if (Date.now() > deadline || child.exitCode !== null) {
      await node.stop();
      throw new Error(`an extra SFU node did not become ready:\n${output.join('')}`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}
