import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchedChromium, launchChromium } from './launchChromium.js';

describe('launchChromium', () => {
  let browser: LaunchedChromium;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>t</title><p>hello</p>');
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server.close();
  });

  it('opens a localhost page in a secure context with a fake camera', async () => {
    const page = await browser.context.newPage();
    await page.goto(`http://localhost:${(server.address() as AddressInfo).port}/`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    const tracks = await page.evaluate(async () => {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      const kinds = stream.getTracks().map((t) => t.kind);
      for (const t of stream.getTracks()) t.stop();
      return kinds.sort();
    });
    expect(tracks).toEqual(['audio', 'video']);
  });
});
