import type { LaunchedChromium } from '@telemed/browser-testing';
import type { Page } from 'playwright-core';
import { type ClientSocket, requestByName } from './signalingClient.js';

/**
 * A media page (mediasoup-client, see `serveMediaPage`) whose `window.signal` goes through `socketOf()`, as a
 * call client's would; a function, since the socket may be replaced after a drop.
 */
export async function openMediaPage(
  browser: LaunchedChromium,
  url: string,
  socketOf: () => ClientSocket,
): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => process.stderr.write(`[page] ${e.message}\n`));
  await page.exposeFunction('signal', async (event: string, payload: unknown) => {
    const answer = (await requestByName(socketOf(), event, payload)) as
      | { ok: true; data: unknown }
      | { ok: false; error: { code: string; message: string } };
    if (!answer.ok) throw new Error(`${event}: ${answer.error.code} ${answer.error.message}`);
    return answer.data;
  });
  await page.goto(url);
  return page;
}

/** The video frames the page has decoded, once more than 10 (or as many as there are after 30 s). */
export async function framesDecoded(page: Page): Promise<number> {
  let frames = 0;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    frames = (await page.evaluate('window.videoFramesDecoded()')) as number;
    if (frames > 10) return frames;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return frames;
}

/** The page's camera produced in the room: the video producer's id. */
export function startProducer(page: Page, appointmentId: string): Promise<{ video: string }> {
  return page.evaluate(`window.startProducer(${JSON.stringify(appointmentId)})`) as Promise<{
    video: string;
  }>;
}

/** The page consuming what the others in the room produce: its receive transport and consumers. */
export function startConsumer(
  page: Page,
  appointmentId: string,
): Promise<{ transportId: string; consumerIds: string[] }> {
  return page.evaluate(`window.startConsumer(${JSON.stringify(appointmentId)})`) as Promise<{
    transportId: string;
    consumerIds: string[];
  }>;
}
