import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import { type Appointment, createSfuControlClient, type SessionResponse } from '@telemed/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformForSuite } from './testing/platformForSuite.js';
import { serveCallPage } from './testing/serveCallPage.js';
import { type SfuNodeProcess, startSfuNode } from './testing/sfuNode.js';
import { type SignalingNode, startSignalingNode } from './testing/signalingNode.js';
import { until } from './testing/until.js';

interface PageCallState {
  state: string;
  mediaConnection: string;
  mediaHistory: string[];
  error: string | null;
}

interface ReceivedVideo {
  participantId: string;
  consumerId: string;
  framesDecoded: number;
}

/** UDP ranges of this suite's SFUs, apart from each other and (most likely) from other suites' ranges. */
const rtcBase = 20_000 + (process.pid % 250) * 160;
const platformRtc = { min: rtcBase, max: rtcBase + 50 };
const extraRtc = [rtcBase + 60, rtcBase + 110] as const;
const isRoot = process.getuid?.() === 0;
const hasNft = (() => {
  try {
    execFileSync('nft', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * The call's recovery paths for real, in two Chromium pages running web-ui's `CallClient` against the platform:
 * a network change restarts ICE (and a refused restart falls back to new transports), a path cut on the SFU's
 * UDP ports recovers by itself, and a `kill -9` of the SFU node holding the room moves the room to the other
 * node of `SFU_URLS` with both pages decoding video again. Times are printed, not asserted (a noisy machine):
 * `npm run bench:field` holds the targets.
 */
describe('the call recovers: network change, a cut path, an SFU node killed', () => {
  const suite = platformForSuite('recovery', {
    env: { SFU_RTC_MIN_PORT: String(platformRtc.min), SFU_RTC_MAX_PORT: String(platformRtc.max) },
  });
  let browser: LaunchedChromium;
  let callPage: { url: string; close(): Promise<void> };
  let clinic: SessionResponse;
  let specialist: SessionResponse;
  let appointments: Appointment[];
  const pages: Page[] = [];

  beforeAll(async () => {
    clinic = await suite.signIn('clinic_doctor');
    specialist = await suite.signIn('specialist');
    appointments = await suite.scheduledAppointments(clinic, specialist, 3);
    callPage = await serveCallPage();
    browser = await launchChromium({ locale: 'en-GB' });
  });

  afterAll(async () => {
    await browser?.close();
    await callPage?.close();
  });

  async function openCall(session: SessionResponse, appointmentId: string, signalingUrl: string) {
    const page = await browser.context.newPage();
    pages.push(page);
    page.on('pageerror', (e) => process.stderr.write(`[page ${session.user.role}] ${e.message}\n`));
    page.on('console', (m) => {
      if (m.type() === 'warning' || m.type() === 'error' || m.text().startsWith('DEBUG')) {
        process.stderr.write(`[page ${session.user.role} ${m.type()}] ${m.text()}\n`);
      }
    });
    await page.goto(callPage.url);
    await page.evaluate(
      (options) => (window as unknown as { startCall(o: unknown): Promise<void> }).startCall(options),
      { signalingUrl, accessToken: session.accessToken, selfId: session.user.id, appointmentId },
    );
    return page;
  }

  /** The clinic waits, the specialist admits it, and each decodes the other's video. */
  async function inCall(appointmentId: string, signalingUrl: string) {
    const clinicPage = await openCall(clinic, appointmentId, signalingUrl);
    const specialistPage = await openCall(specialist, appointmentId, signalingUrl);
    await specialistPage.evaluate(
      (id) => (window as unknown as { admit(id: string): Promise<void> }).admit(id),
      clinic.user.id,
    );
    await until(
      () => stateOf(clinicPage),
      (s) => s.state === 'connected',
      'clinic connected',
    );
    await framesFrom(clinicPage, specialist.user.id);
    await framesFrom(specialistPage, clinic.user.id);
    return { clinicPage, specialistPage };
  }

  const stateOf = (page: Page) => page.evaluate('window.callState()') as Promise<PageCallState>;
  const videoOf = (page: Page) => page.evaluate('window.receivedVideo()') as Promise<ReceivedVideo[]>;
  const countsOf = (page: Page) => page.evaluate('window.requestCounts()') as Promise<Record<string, number>>;

  /**
   * Video from `from` decoded on `page`, more than `more` frames past `after` on one consumer; with `newerThan`,
   * on a consumer not among those (the transports were made anew).
   */
  function framesFrom(
    page: Page,
    from: string,
    { after = 0, more = 10, newerThan = [] as string[], timeoutMs = 60_000 } = {},
  ): Promise<ReceivedVideo[]> {
    return until(
      () => videoOf(page),
      (videos) =>
        videos.some(
          (v) =>
            v.participantId === from &&
            !newerThan.includes(v.consumerId) &&
            v.framesDecoded > (newerThan.length > 0 ? 0 : after) + more,
        ),
      `video from ${from} decoded`,
      timeoutMs,
    );
  }

  /** Both leave the call, and their pages close: the next test starts with none of this one's media or sockets. */
  async function leaveAndClose(...callPages: Page[]) {
    for (const page of callPages) await page.evaluate('window.leave()');
    for (const page of callPages) await page.close();
  }

  const consumerIds = async (page: Page) => (await videoOf(page)).map((v) => v.consumerId);
  const mostFrames = (videos: ReceivedVideo[]) => Math.max(0, ...videos.map((v) => v.framesDecoded));

  it('a network change restarts ICE on the same transports; a refused restart falls back to new ones', async () => {
    const appointmentId = appointments[0]!.id;
    const { clinicPage, specialistPage } = await inCall(appointmentId, suite.platform.urls.signaling);
    const before = await countsOf(clinicPage);
    expect(before['media:create-transport']).toBe(2);
    const consumersBefore = await consumerIds(specialistPage);

    // The browser says the network changed: ICE restarts on both transports, and media goes on through them.
    const changedAt = Date.now();
    await clinicPage.evaluate('window.networkChanged()');
    await until(
      () => countsOf(clinicPage),
      (counts) => (counts['media:restart-ice'] ?? 0) >= 2,
      'both transports restarting ICE',
    );
    const restarted = await until(
      () => stateOf(clinicPage),
      (s) => s.mediaHistory.includes('reconnecting') && s.mediaConnection === 'connected',
      'media connected again after the ICE restart',
    );
    const framesNow = mostFrames(await videoOf(specialistPage));
    await framesFrom(specialistPage, clinic.user.id, { after: framesNow });
    process.stderr.write(
      `[recovery] network change → media flowing again after an ICE restart in ${Date.now() - changedAt} ms ` +
        `(${JSON.stringify(restarted.mediaHistory)})\n`,
    );
    // The same transports and consumers: nothing was made anew.
    expect((await countsOf(clinicPage))['media:create-transport']).toBe(2);
    expect(await consumerIds(specialistPage)).toEqual(consumersBefore);

    // Now the SFU refuses the restart (as when it lost the transport): new transports, produced and consumed anew.
    await clinicPage.evaluate('window.refuseIceRestart(true)');
    const refusedAt = Date.now();
    await clinicPage.evaluate('window.networkChanged()');
    const clinicConsumersBefore = await consumerIds(clinicPage);
    await until(
      () => countsOf(clinicPage),
      (counts) => counts['media:close-transport'] === 2 && counts['media:create-transport'] === 4,
      'the old transports closed and new ones made',
    );
    await framesFrom(specialistPage, clinic.user.id, { newerThan: consumersBefore });
    await framesFrom(clinicPage, specialist.user.id, { newerThan: clinicConsumersBefore });
    const fellBack = await until(
      () => stateOf(clinicPage),
      (s) => s.mediaConnection === 'connected',
      'media connected on the new transports',
    );
    process.stderr.write(
      `[recovery] refused ICE restart → video on new transports both ways in ${Date.now() - refusedAt} ms ` +
        `(${JSON.stringify(fellBack.mediaHistory)})\n`,
    );
    await clinicPage.evaluate('window.refuseIceRestart(false)');
    // The old producers went from the specialist's side: one camera of the clinic's, the new one.
    const seen = (await videoOf(specialistPage)).filter((v) => v.participantId === clinic.user.id);
    expect(seen).toHaveLength(1);
    expect(consumersBefore).not.toContain(seen[0]?.consumerId);
    expect(fellBack.state).toBe('connected');
    await leaveAndClose(clinicPage, specialistPage);
  });

  it.runIf(isRoot && hasNft)(
    'a path cut on the SFU’s UDP ports: ICE is restarted by itself and video flows again once the path is back',
    async () => {
      const appointmentId = appointments[1]!.id;
      const { clinicPage, specialistPage } = await inCall(appointmentId, suite.platform.urls.signaling);
      const table = `telemed_recovery_${process.pid}`;
      const nft = (...args: string[]) => execFileSync('nft', args, { stdio: 'pipe' });
      nft('add', 'table', 'inet', table);
      try {
        nft('add', 'chain', 'inet', table, 'input', '{ type filter hook input priority 0 ; }');
        nft(
          'add',
          'rule',
          'inet',
          table,
          'input',
          'udp',
          'dport',
          `${platformRtc.min}-${platformRtc.max}`,
          'drop',
        );
        const cutAt = Date.now();
        await until(
          () => stateOf(clinicPage),
          (s) => s.mediaConnection === 'reconnecting',
          'the clinic noticed the lost path',
          30_000,
        );
        process.stderr.write(`[recovery] path cut → noticed in ${Date.now() - cutAt} ms\n`);
      } finally {
        nft('delete', 'table', 'inet', table);
      }
      const restoredAt = Date.now();
      const framesNow = mostFrames(await videoOf(specialistPage));
      await until(
        () => Promise.all([stateOf(clinicPage), stateOf(specialistPage)]),
        (states) => states.every((s) => s.mediaConnection === 'connected'),
        'both pages’ media connected again',
      );
      await framesFrom(specialistPage, clinic.user.id, { after: framesNow });
      await framesFrom(clinicPage, specialist.user.id, { after: 0 });
      const counts = await countsOf(clinicPage);
      process.stderr.write(
        `[recovery] path back → video flowing again in ${Date.now() - restoredAt} ms ` +
          `(restarts ${counts['media:restart-ice'] ?? 0}, transports made ${counts['media:create-transport']})\n`,
      );
      expect(counts['media:restart-ice'] ?? 0).toBeGreaterThanOrEqual(1);
      await leaveAndClose(clinicPage, specialistPage);
    },
  );

  describe('with two SFU nodes', () => {
    let sfuNodes: SfuNodeProcess[] = [];
    let signalingNode: SignalingNode | undefined;

    beforeAll(async () => {
      sfuNodes = await Promise.all(extraRtc.map((min) => startSfuNode(suite.dataDir, min, 50)));
      // A signaling node of its own whose SFU_URLS names the two extra nodes (rooms in its memory).
      signalingNode = await startSignalingNode(suite.platform, suite.dataDir, undefined, {
        SFU_URLS: sfuNodes.map((n) => n.url).join(','),
      });
    });

    afterAll(async () => {
      await signalingNode?.stop();
      await Promise.all(sfuNodes.map((n) => n.stop()));
    });

    it('kill -9 of the SFU node holding the room: the room moves to the other node and both pages decode video again', async () => {
      const appointmentId = appointments[2]!.id;
      const { clinicPage, specialistPage } = await inCall(appointmentId, signalingNode!.url);
      const { SFU_CONTROL_SECRET: secret } = JSON.parse(
        readFileSync(join(suite.dataDir, 'secrets.json'), 'utf8'),
      );
      const controls = sfuNodes.map((n) => createSfuControlClient({ url: n.url, secret }));
      const loads = await Promise.all(controls.map((call) => call('getLoad', {})));
      const holder = loads.findIndex((load) => load.rooms > 0);
      expect(holder).toBeGreaterThanOrEqual(0);
      const survivor = 1 - holder;
      const clinicConsumers = await consumerIds(clinicPage);
      const specialistConsumers = await consumerIds(specialistPage);

      const killedAt = Date.now();
      await sfuNodes[holder]!.stop('SIGKILL');
      await Promise.all([
        framesFrom(specialistPage, clinic.user.id, { newerThan: specialistConsumers, timeoutMs: 90_000 }),
        framesFrom(clinicPage, specialist.user.id, { newerThan: clinicConsumers, timeoutMs: 90_000 }),
      ]);
      process.stderr.write(
        `[recovery] SFU node killed → both pages decoding video again in ${Date.now() - killedAt} ms\n`,
      );
      // The room is on the other node now, and the call itself never ended.
      const after = await controls[survivor]!('getLoad', {});
      expect(after.rooms).toBe(1);
      for (const page of [clinicPage, specialistPage]) {
        expect(await stateOf(page)).toMatchObject({ state: 'connected', mediaConnection: 'connected' });
      }
      const states = await Promise.all([stateOf(clinicPage), stateOf(specialistPage)]);
      process.stderr.write(`[recovery] media states: ${JSON.stringify(states.map((s) => s.mediaHistory))}\n`);
      expect(await suite.statusOf(appointmentId, specialist)).toBe('in-progress');
    });
  });
});
