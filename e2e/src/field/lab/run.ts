import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs a network tool (`ip`, `tc`, `nft`); a failure names the command and what it printed. */
export async function run(command: string, args: string[], input?: string): Promise<string> {
  try {
    if (input === undefined) return (await execFileAsync(command, args)).stdout;
    return await new Promise<string>((resolve, reject) => {
      const child = execFile(command, args, (error, stdout, stderr) =>
        error ? reject(Object.assign(error, { stderr })) : resolve(stdout),
      );
      child.stdin?.end(input);
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || (error as Error).message}`);
  }
}

/** Like `run`, for clean-up: what is already gone is fine. */
export async function runQuietly(command: string, args: string[]): Promise<void> {
  await run(command, args).catch(() => undefined);
}

/** Runs `command` inside the network namespace `namespace`. */
export function runIn(namespace: string, command: string, args: string[], input?: string): Promise<string> {
  return run('ip', ['netns', 'exec', namespace, command, ...args], input);
}
