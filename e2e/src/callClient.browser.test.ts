import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import type { Appointment, SessionResponse } from '@telemed/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformForSuite } from './testing/platformForSuite.js';
import { serveCallPage } from './testing/serveCallPage.js';
import { until } from './testing/until.js';

interface PageCallState {
  state: string;
  endReason: string | null;
  history: string[];
  recoveries: boolean[];
  participants: Array<{ participantId: string; status: string; link: string }>;
  error: string | null;
}

interface ReceivedVideo {
  participantId: string;
  consumerId: string;
  source: string;
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
}

const recoverySeconds = 3;

/**
 * The browser's call client for real: two Chromium pages run web-ui's `CallClient` (Socket.IO to signaling,
 * mediasoup-client to the SFU) against the platform as `npm start` starts it, with the demo accounts.
 */
describe('the call client in Chromium, against the whole platform', () => {
  const suite = platformForSuite('call', {
    // A short recovery window, so that a link kept down a little longer cannot be recovered (the rejoin path).
    env: { SIGNALING_RECOVERY_SECONDS: String(recoverySeconds) },
  });
  let browser: LaunchedChromium;
  let callPage: { url: string; close(): Promise<void> };
  let clinic: SessionResponse;
  let specialist: SessionResponse;
  let appointments: Appointment[];

  beforeAll(async () => {
    clinic = await suite.signIn('clinic_doctor');
    specialist = await suite.signIn('specialist');
    appointments = await suite.scheduledAppointments(clinic, specialist, 1);
    callPage = await serveCallPage();
    browser = await launchChromium({ locale: 'en-GB' });
  });

  afterAll(async () => {
    await browser?.close();
    await callPage?.close();
  });

  async function openCall(session: SessionResponse, appointmentId: string): Promise<Page> {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => process.stderr.write(`[page ${session.user.role}] ${e.message}\n`));
    await page.goto(callPage.url);
    await page.evaluate(
      (options) => (window as unknown as { startCall(o: unknown): Promise<void> }).startCall(options),
      {
        signalingUrl: suite.platform.urls.signaling,
        accessToken: session.accessToken,
        selfId: session.user.id,
        appointmentId,
      },
    );
    return page;
  }

  const stateOf = (page: Page) => page.evaluate('window.callState()') as Promise<PageCallState>;
  const videoOf = (page: Page) => page.evaluate('window.receivedVideo()') as Promise<ReceivedVideo[]>;
  const layoutOf = (page: Page) =>
    page.evaluate('window.remoteLayout()') as Promise<{ streams: string[]; screens: string[] }>;

  /** Frames decoded from `from` keep rising on `page` (at least `more` beyond `after`). */
  function framesRise(page: Page, from: string, after: number, more = 10): Promise<ReceivedVideo[]> {
    return until(
      () => videoOf(page),
      (videos) => videos.some((v) => v.participantId === from && v.framesDecoded > after + more),
      `video from ${from} decoded`,
    );
  }

  it('SignalClient: a refused token, a payload checked before it leaves, and a server refusal become AppErrors', async () => {
    const page = await browser.context.newPage();
    await page.goto(callPage.url);
    const result = await page.evaluate(
      (options) => (window as unknown as { probeSignal(o: unknown): Promise<unknown> }).probeSignal(options),
      {
        signalingUrl: suite.platform.urls.signaling,
        accessToken: clinic.accessToken,
        appointmentId: appointments[0]!.id,
      },
    );
    expect(result).toMatchObject({
      badToken: { ok: false, appError: true, code: 'UNAUTHENTICATED' },
      states: ['connecting', 'disconnected'],
      whoami: { ok: true, data: { id: clinic.user.id, role: 'clinic_doctor' } },
      badPayload: { ok: false, appError: true, code: 'VALIDATION_FAILED' },
      // A clinic doctor may not admit anyone: the server's refusal, as an AppError with its code.
      refusedByServer: {
        ok: false,
        appError: true,
        code: 'FORBIDDEN',
      },
      state: 'connected',
      closedState: 'disconnected',
    });
    // The message is the server's own specific refusal, in the socket's language (Arabic here).
    expect((result as { refusedByServer: { message: string } }).refusedByServer.message).toMatch(
      /[\u0600-\u06FF]/,
    );
    await page.close();
  });

  it('the clinic waits, the specialist admits, both decode video; a dropped link reconnects and video flows again; both leave', async () => {
    const appointmentId = appointments[0]!.id;

    const clinicPage = await openCall(clinic, appointmentId);
    expect(await stateOf(clinicPage)).toMatchObject({ state: 'waiting', history: ['joining', 'waiting'] });

    const specialistPage = await openCall(specialist, appointmentId);
    expect(await stateOf(specialistPage)).toMatchObject({
      state: 'connected',
      participants: [{ participantId: clinic.user.id, status: 'waiting' }],
    });
    await specialistPage.evaluate(
      (id) => (window as unknown as { admit(id: string): Promise<void> }).admit(id),
      clinic.user.id,
    );

    const clinicConnected = await until(
      () => stateOf(clinicPage),
      (s) => s.state === 'connected',
      'clinic connected',
    );
    expect(clinicConnected.history).toEqual(['joining', 'waiting', 'connecting', 'connected']);

    // Both sides decode the other's video; the specialist gets the clinic camera's top simulcast layer.
    await framesRise(clinicPage, specialist.user.id, 0);
    const seenBySpecialist = await until(
      () => videoOf(specialistPage),
      (videos) =>
        videos.some(
          (v) =>
            v.participantId === clinic.user.id &&
            v.framesDecoded > 10 &&
            v.frameWidth >= 640 &&
            v.frameHeight >= 360,
        ),
      'the clinic’s video at 640×360 or more on the specialist’s side',
    );
    const framesBefore = Math.max(...seenBySpecialist.map((v) => v.framesDecoded));
    process.stderr.write(`[call] the specialist receives ${JSON.stringify(seenBySpecialist)}\n`);
    expect(seenBySpecialist.filter((v) => v.participantId === clinic.user.id)).toMatchObject([
      { source: 'camera' },
    ]);

    // The clinic shares its screen: it reaches the specialist as the clinic's screen, apart from its camera.
    await clinicPage.evaluate('window.shareScreen()');
    await until(
      () => videoOf(specialistPage),
      (videos) =>
        videos.some(
          (v) => v.participantId === clinic.user.id && v.source === 'screen' && v.framesDecoded > 5,
        ),
      'the clinic’s screen decoded as a screen on the specialist’s side',
    );
    expect(await layoutOf(specialistPage)).toEqual({ streams: [clinic.user.id], screens: [clinic.user.id] });
    await clinicPage.evaluate('window.stopScreenShare()');
    await until(
      () => layoutOf(specialistPage),
      (layout) => layout.screens.length === 0 && layout.streams.includes(clinic.user.id),
      'the clinic’s screen gone from the specialist’s side, its camera still there',
    );

    // The specialist's link drops under Socket.IO: reconnecting, then connected again.
    await specialistPage.evaluate('window.dropLink()');
    const back = await until(
      () => stateOf(specialistPage),
      (s) => s.history.includes('reconnecting') && s.state === 'connected',
      'the specialist reconnected',
    );
    expect(back.history.slice(-2)).toEqual(['reconnecting', 'connected']);
    process.stderr.write(`[call] specialist link recoveries: ${JSON.stringify(back.recoveries)}\n`);
    // Video flows again (the same consumers after a recovery, new ones after a rejoin).
    const after = await until(
      () => videoOf(specialistPage),
      (videos) => videos.some((v) => v.participantId === clinic.user.id && v.framesDecoded > 10),
      'video after reconnecting',
    );
    const framesNow = Math.max(...after.map((v) => v.framesDecoded));
    await framesRise(specialistPage, clinic.user.id, back.recoveries.at(-1) ? framesBefore : framesNow);
    await framesRise(clinicPage, specialist.user.id, 0);

    // Down longer than the recovery window: signaling let the specialist's place and media go, so the call client
    // rejoins and sets its media up again; the clinic consumes the specialist's new producers.
    const historyLength = back.history.length;
    const clinicConsumersBefore = (await videoOf(clinicPage)).map((v) => v.consumerId);
    await specialistPage.evaluate(`window.dropLinkFor(${(recoverySeconds + 3) * 1000})`);
    const rejoined = await until(
      () => stateOf(specialistPage),
      (s) => s.history.length > historyLength && s.state === 'connected',
      'the specialist rejoined',
    );
    expect(rejoined.history.slice(historyLength)).toEqual(['reconnecting', 'connecting', 'connected']);
    expect(rejoined.recoveries.at(-1)).toBe(false);
    await framesRise(specialistPage, clinic.user.id, 0);
    await until(
      () => videoOf(clinicPage),
      (videos) =>
        videos.some(
          (v) =>
            v.participantId === specialist.user.id &&
            !clinicConsumersBefore.includes(v.consumerId) &&
            v.framesDecoded > 10,
        ),
      'the clinic decodes the specialist’s new video',
    );

    // The clinic saw the specialist reconnecting, or nothing at all if the drop was too short to be told.
    expect((await stateOf(clinicPage)).participants).toMatchObject([
      { participantId: specialist.user.id, link: 'connected' },
    ]);

    await clinicPage.evaluate('window.leave()');
    expect(await stateOf(clinicPage)).toMatchObject({ state: 'left', endReason: 'left' });
    await until(
      () => stateOf(specialistPage),
      (s) => !s.participants.some((p) => p.participantId === clinic.user.id),
      'the specialist sees the clinic leave',
    );
    await specialistPage.evaluate('window.leave()');
    expect(await stateOf(specialistPage)).toMatchObject({ state: 'left' });
    await clinicPage.close();
    await specialistPage.close();
    expect(suite.died).toEqual([]);
  });
});
