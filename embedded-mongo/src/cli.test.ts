import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs the real CLI from source with `args`; resolves with its exit code and what it wrote to stderr. */
function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const proc = spawn(
    process.execPath,
    ['--conditions=@telemed/source', '--import', 'tsx', 'src/cli.ts', ...args],
    {
      cwd: packageDir,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  proc.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => proc.on('exit', (code) => resolve({ code, stderr })));
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
});
