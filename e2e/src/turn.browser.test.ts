import { spawnSync } from 'node:child_process';
import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import type { SessionResponse } from '@telemed/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coturnUnavailable, type RunningCoturn, startCoturn } from './testing/coturn.js';
import {
  recordPeerConnections,
  selectedPairs,
  sendFeedback,
  untilMedia,
} from './testing/peerConnectionStats.js';
import { platformForSuite } from './testing/platformForSuite.js';
import { serveCallPage } from './testing/serveCallPage.js';
import { until } from './testing/until.js';

interface ReceivedVideo {
  participantId: string;
  framesDecoded: number;
}

interface RelayedCallOptions {
  /** TURN_URLS for the platform, from the running coturn. */
  turnUrls(coturn: RunningCoturn): string;
  /** The transport every selected pair's local candidate uses to reach coturn. */
  relayProtocol: 'tcp' | 'tls';
  /** Chromium flags that depend on the running coturn. */
  chromiumArgs?(coturn: RunningCoturn): string[];
  /** Runs after coturn starts and before the browsers do; its result runs when the suite ends. */
  firewall?(coturn: RunningCoturn): () => void;
}

/**
 * Both browsers are forced to relay (`iceTransportPolicy: 'relay'`) through Debian's coturn, with the short-lived
 * credentials the SFU mints from TURN_SECRET. The SFU (ICE-lite) sees coturn's relay address as its peer.
 */
function relayedCall(options: RelayedCallOptions) {
  let coturn: RunningCoturn;
  let openFirewall: (() => void) | undefined;
  beforeAll(async () => {
    coturn = await startCoturn();
    openFirewall = options.firewall?.(coturn);
  });
  afterAll(async () => {
    openFirewall?.();
    if (process.env.TURN_TEST_LOG) process.stderr.write(coturn?.log() ?? '');
    await coturn?.stop();
  });
  const suite = platformForSuite(`turn-${options.relayProtocol}`, {
    env: () => ({ TURN_URLS: options.turnUrls(coturn), TURN_SECRET: coturn.secret }),
  });
  let browser: LaunchedChromium;
  let callPage: { url: string; close(): Promise<void> };
  let clinic: SessionResponse;
  let specialist: SessionResponse;

  beforeAll(async () => {
    clinic = await suite.signIn('clinic_doctor');
    specialist = await suite.signIn('specialist');
    callPage = await serveCallPage();
    browser = await launchChromium({ locale: 'en-GB', extraArgs: options.chromiumArgs?.(coturn) ?? [] });
  });

  afterAll(async () => {
    await browser?.close();
    await callPage?.close();
  });

  async function openCall(session: SessionResponse, appointmentId: string): Promise<Page> {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => process.stderr.write(`[page ${session.user.role}] ${e.message}\n`));
    await page.addInitScript(recordPeerConnections);
    await page.goto(callPage.url);
    await page.evaluate((o) => (window as unknown as { startCall(o: unknown): Promise<void> }).startCall(o), {
      signalingUrl: suite.platform.urls.signaling,
      accessToken: session.accessToken,
      selfId: session.user.id,
      appointmentId,
      iceTransportPolicy: 'relay',
    });
    return page;
  }

  const videoOf = (page: Page) => page.evaluate('window.receivedVideo()') as Promise<ReceivedVideo[]>;

  it(`both browsers decode each other’s video through the relay (${options.relayProtocol}), and each sender hears the SFU’s feedback through it`, async () => {
    const [appointment] = await suite.scheduledAppointments(clinic, specialist, 1);
    const clinicPage = await openCall(clinic, appointment!.id);
    const specialistPage = await openCall(specialist, appointment!.id);
    await specialistPage.evaluate(
      (id) => (window as unknown as { admit(id: string): Promise<void> }).admit(id),
      clinic.user.id,
    );

    for (const [page, from] of [
      [specialistPage, clinic.user.id],
      [clinicPage, specialist.user.id],
    ] as const) {
      await untilMedia(
        () => videoOf(page),
        (videos) => videos.some((v) => v.participantId === from && v.framesDecoded > 10),
        `video from ${from} decoded through the relay`,
      );
    }

    for (const [page, who] of [
      [clinicPage, 'clinic'],
      [specialistPage, 'specialist'],
    ] as const) {
      // Send and receive transports, each on the relay candidate it selected, and each hearing from the SFU on
      // that pair: a receiver its media, a sender the SFU's RTCP (receiver reports, transport-cc, NACK, PLI).
      const pairs = await until(
        () => selectedPairs(page),
        (found) => found.length >= 2 && found.every((p) => p.bytesSent > 0 && p.bytesReceived > 0),
        `${who}: both transports send and receive on their selected pair`,
      );
      process.stderr.write(
        `[turn ${options.relayProtocol}] ${who} selected pairs ${JSON.stringify(pairs)}\n`,
      );
      for (const pair of pairs) {
        expect(pair).toMatchObject({
          state: 'succeeded',
          localType: 'relay',
          relayProtocol: options.relayProtocol,
        });
      }
      // The SFU's receiver reports reached the sender: Chromium has a round trip time for each kind it sends.
      const feedback = await until(
        () => sendFeedback(page),
        (found) =>
          found.length === 1 &&
          found.every(
            (f) =>
              f.pairBytesReceived > 0 &&
              ['audio', 'video'].every((kind) =>
                f.remoteInbound.some(
                  (r) => r.kind === kind && r.roundTripTime !== null && r.measurements > 0,
                ),
              ),
          ),
        `${who}: the send transport has round trip times from the SFU's receiver reports`,
      );
      process.stderr.write(
        `[turn ${options.relayProtocol}] ${who} send feedback ${JSON.stringify(feedback)}\n`,
      );
    }

    // coturn authenticated the SFU's REST-API usernames (`<expiry>:<room>`) and allocated relays for them.
    const allocations = coturn.allocations();
    expect(allocations.length).toBeGreaterThanOrEqual(4);
    for (const { username } of allocations) expect(username).toMatch(/^\d+:.+/);
    expect(coturn.log()).toMatch(options.relayProtocol === 'tls' ? /TLS/ : /TCP/);
    expect(suite.died).toEqual([]);
  });
}

describe.runIf(!coturnUnavailable())('a call relayed by coturn over TCP', () => {
  relayedCall({ turnUrls: (coturn) => coturn.urls.tcp, relayProtocol: 'tcp' });
});

/** Why the firewall of the TLS case cannot be set up here (nft in the root namespace needs root). */
function firewallUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: nft cannot drop the plain TURN port';
  if (spawnSync('nft', ['--version']).status !== 0) return 'nft is not installed';
  return undefined;
}

const tlsSkip = coturnUnavailable() ?? firewallUnavailable();
if (tlsSkip) console.info(`[turn] skipping the TURN over TLS suite: ${tlsSkip}`);

/**
 * A hospital network that lets only TLS out (port 443 in production): the platform announces every TURN URL, as the
 * README's production set-up does, but nft drops UDP and plain TCP to coturn's TURN port, so the browsers can reach
 * it only through `turns:`. Chromium's TURN client does not check the server's certificate, so coturn's self-signed
 * one (made at test time by openssl) is enough; the TLS handshake itself is real.
 */
describe.runIf(tlsSkip === undefined)('a call relayed by coturn over TLS, UDP and plain TCP blocked', () => {
  let dropped = () => 0;
  relayedCall({
    turnUrls: (coturn) => [coturn.urls.udp, coturn.urls.tcp, coturn.urls.tls].join(','),
    relayProtocol: 'tls',
    chromiumArgs: (coturn) => [`--ignore-certificate-errors-spki-list=${coturn.certificateSpki}`],
    firewall: (coturn) => {
      const table = `telemed_turn_${process.pid}`;
      const nft = (script: string) => {
        const run = spawnSync('nft', ['-f', '-'], { input: script, encoding: 'utf8' });
        if (run.status !== 0) throw new Error(`nft failed: ${run.stderr}`);
      };
      nft(`table inet ${table} {
  chain output {
    type filter hook output priority 0; policy accept;
    ip daddr ${coturn.listenIp} udp dport ${coturn.port} counter drop
    ip daddr ${coturn.listenIp} tcp dport ${coturn.port} counter drop
  }
}`);
      dropped = () => {
        const listed = spawnSync('nft', ['list', 'table', 'inet', table], { encoding: 'utf8' }).stdout;
        return [...listed.matchAll(/counter packets (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
      };
      return () => {
        spawnSync('nft', ['delete', 'table', 'inet', table]);
      };
    },
  });
  it('the browsers tried the plain TURN port and the firewall dropped it', () => {
    expect(dropped()).toBeGreaterThan(0);
  });
});
