import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumArgs } from '@telemed/browser-testing';
import { type BrowserContext, chromium } from 'playwright-core';

/**
 * Debian's Chromium started inside a network namespace (`ip netns exec`), so all of its traffic, WebRTC included,
 * takes the namespace's shaped veth. It is driven over the DevTools protocol on a pipe (playwright's
 * `--remote-debugging-pipe`), not a TCP port: the control link then never crosses the shaped link, and it survives
 * the namespace's address switch, which would cut a TCP connection to the old address.
 */
export class NamespacedChromium {
  private constructor(
    readonly context: BrowserContext,
    private readonly workDir: string,
  ) {}

  static async launch(
    namespace: string,
    options: { secureOrigins?: string[]; locale?: string } = {},
  ): Promise<NamespacedChromium> {
    const workDir = mkdtempSync(join(tmpdir(), `telemed-${namespace}-`));
    // `ip netns exec` execs Chromium in place, so the pipe's file descriptors (3 and 4) reach it unchanged.
    const wrapper = join(workDir, 'chromium-in-namespace');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${namespace} /usr/bin/chromium "$@"\n`);
    chmodSync(wrapper, 0o755);
    const secure = options.secureOrigins?.length
      ? [`--unsafely-treat-insecure-origin-as-secure=${options.secureOrigins.join(',')}`]
      : [];
    try {
      const context = await chromium.launchPersistentContext(join(workDir, 'profile'), {
        executablePath: wrapper,
        headless: true,
        args: [...chromiumArgs, ...secure],
        locale: options.locale ?? 'en-GB',
        permissions: ['camera', 'microphone'],
      });
      return new NamespacedChromium(context, workDir);
    } catch (error) {
      rmSync(workDir, { recursive: true, force: true });
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
