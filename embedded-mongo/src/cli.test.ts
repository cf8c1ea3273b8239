import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient, MongoServerError } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--conditions=@telemed/source', '--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the real CLI from source with `args`; resolves with its exit code and what it wrote to stderr. */
function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stderr: string }> {
  const proc = spawnCli(args, env);
  let stderr = '';
  proc.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => proc.on('exit', (code) => resolve({ code, stderr })));
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const proc of running.splice(0)) proc.kill('SIGTERM');
});

/** Starts the CLI and resolves with its connection string once it listens. */
function serveCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const proc = spawnCli(['--port', '0', '--quiet', ...args], env);
  running.push(proc);
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /listening on ([\d.]+):(\d+)/.exec(out);
      if (match) resolve(`mongodb://${match[1]}:${match[2]}/`);
    });
    proc.on('exit', (code) => reject(new Error(`the CLI exited with ${code}`)));
  });
}

async function findError(uri: string): Promise<unknown> {
  const client = await new MongoClient(uri, { serverSelectionTimeoutMS: 5000 }).connect();
  try {
    await client.db('telemed').collection('patients').insertOne({ name: 'x' });
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await client.close();
  }
}

describe('embedded-mongo command line', () => {
  it.each(['0', '501', '2.5', 'soon'])(
    'refuses --journalCommitInterval %s with the accepted range',
    async (value) => {
      const { code, stderr } = await runCli(['--port', '0', '--journalCommitInterval', value]);
      expect(code).toBe(2);
      expect(stderr).toContain(`invalid --journalCommitInterval ${value} (1-500 ms)`);
      expect(stderr).toContain('usage: embedded-mongo');
    },
  );

  it('requires authentication by default, with the root user given in the environment', async () => {
    const uri = await serveCli([], {
      EMBEDDED_MONGO_ROOT_USERNAME: 'admin',
      EMBEDDED_MONGO_ROOT_PASSWORD: 'from the environment',
    });
    const refused = await findError(uri);
    expect(refused).toBeInstanceOf(MongoServerError);
    expect(refused).toMatchObject({ code: 13, codeName: 'Unauthorized' });
    expect(await findError(uri.replace('//', '//admin:from%20the%20environment@'))).toBeUndefined();
  });

  it('refuses to start with authentication on and no user to authenticate as', async () => {
    const { code, stderr } = await runCli(['--port', '0'], {
      EMBEDDED_MONGO_ROOT_USERNAME: '',
      EMBEDDED_MONGO_ROOT_PASSWORD: '',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('the store has no user');
  });

  it('serves every client without authentication under --noauth', async () => {
    const uri = await serveCli(['--noauth']);
    expect(await findError(uri)).toBeUndefined();
  });
});
