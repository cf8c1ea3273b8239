import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './freePorts.js';

export interface RunningRedisServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Debian's `redis-server`, installed with apt-get when missing and this process may (root, as in CI). Returns
 * why it cannot be had otherwise, so that a test can say why it did not run.
 */
export function ensureRedisServerInstalled(): { ok: true } | { ok: false; reason: string } {
  if (redisServerVersion()) return { ok: true };
  if (process.getuid?.() !== 0) {
    return {
      ok: false,
      reason: 'redis-server is not installed and installing it needs root (apt-get install -y redis-server)',
    };
  }
  const install = () =>
    spawnSync('apt-get', ['install', '-y', 'redis-server'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  // A fresh image has no package lists yet.
  if (install().status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    install();
  }
  return redisServerVersion()
    ? { ok: true }
    : { ok: false, reason: 'apt-get install -y redis-server failed (see its output above)' };
}

/**
 * A throwaway redis-server on a free loopback port, in its own temporary directory, with nothing persisted;
 * `stop` ends it and removes the directory. For tests of several signaling nodes.
 */
export async function startRedisServer(): Promise<RunningRedisServer> {
  const [port] = await freePorts(1);
  const dir = mkdtempSync(join(tmpdir(), 'telemed-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 20_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
  } catch (error) {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function redisServerVersion(): string | undefined {
  const result = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
