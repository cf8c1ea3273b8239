import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let ensured = false;

/**
 * Makes sure Debian's Chromium is installed. As root on Debian it runs apt-get (once per process);
 * anywhere else it throws with the exact command to run. Never downloads a browser build of its own.
 */
export function ensureChromium(): string {
  if (ensured || existsSync(chromiumPath)) {
    ensured = true;
    return chromiumPath;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt || process.env.CHROMIUM_PATH) {
    throw new Error(
      `Chromium was not found at ${chromiumPath}. Install Debian's package: sudo apt-get install -y chromium ` +
        '(or set CHROMIUM_PATH to a Chromium binary). Browser tests never download a browser.',
    );
  }
  process.stderr.write('[browser-testing] installing Debian chromium with apt-get …\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  if (!existsSync(chromiumPath)) throw new Error(`apt-get finished but ${chromiumPath} is still missing`);
  ensured = true;
  return chromiumPath;
}
