import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import { ensureRedisServerInstalled } from '@telemed/service-kit';
import type { Appointment, SessionResponse } from '@telemed/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FramesSeen, longestStall } from './testing/frameStalls.js';
import { platformForSuite } from './testing/platformForSuite.js';
import { serveCallPage } from './testing/serveCallPage.js';
import { type SignalingNode, startSignalingNode } from './testing/signalingNode.js';
import { until } from './testing/until.js';

interface ReceivedVideo {
  participantId: string;
  consumerId: string;
  framesDecoded: number;
}

const installed = ensureRedisServerInstalled();
if (!installed.ok) console.warn(`A signaling node killed mid-call not tested: ${installed.reason}`);

/**
 * `kill -9` of the signaling node a page is on, with two nodes over one real redis-server: the clinic's page
 * starts on a second `signaling/dist/main.js` with the platform's node as its fallback, the specialist's on the
 * platform's node. The clinic's socket reaches the other node and rejoins; the SFU held the media meanwhile.
 * What was acknowledged before the kill (a chat message, a vital sign) is in records after it.
 */
describe.runIf(installed.ok)('a signaling node killed mid-call, two nodes behind Redis, in Chromium', () => {
  const suite = platformForSuite('recovery-signaling', { redis: true });
  let browser: LaunchedChromium;
  let callPage: { url: string; close(): Promise<void> };
  let clinicNode: SignalingNode | undefined;
  let clinic: SessionResponse;
  let specialist: SessionResponse;
  let appointments: Appointment[];

  beforeAll(async () => {
    clinicNode = await startSignalingNode(suite.platform, suite.dataDir, suite.redisUrl);
    [clinic, specialist] = await Promise.all([suite.signIn('clinic_doctor'), suite.signIn('specialist')]);
    appointments = await suite.scheduledAppointments(clinic, specialist, 1);
    callPage = await serveCallPage();
    browser = await launchChromium({ locale: 'en-GB' });
  });

  afterAll(async () => {
    await browser?.close();
    await callPage?.close();
    await clinicNode?.stop();
  });

  async function openCall(
    session: SessionResponse,
    appointmentId: string,
    signalingUrl: string,
    fallbackUrls?: string[],
  ): Promise<Page> {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => process.stderr.write(`[page ${session.user.role}] ${e.message}\n`));
    await page.goto(callPage.url);
    await page.evaluate(
      (options) => (window as unknown as { startCall(o: unknown): Promise<void> }).startCall(options),
      {
        signalingUrl,
        fallbackUrls,
        accessToken: session.accessToken,
        selfId: session.user.id,
        appointmentId,
      },
    );
    return page;
  }

  const videoOf = (page: Page) => page.evaluate('window.receivedVideo()') as Promise<ReceivedVideo[]>;
  const consumersOf = async (page: Page, from: string) =>
    (await videoOf(page))
      .filter((v) => v.participantId === from)
      .map((v) => v.consumerId)
      .sort();
  const framesOf = async (page: Page, from: string) =>
    (await videoOf(page))
      .filter((v) => v.participantId === from)
      .reduce((sum, v) => sum + v.framesDecoded, 0);

  it('the socket reaches the other node and resumes; video never stops; what was acknowledged is in records', async () => {
    const appointmentId = appointments[0]!.id;
    const clinicPage = await openCall(clinic, appointmentId, clinicNode!.url, [
      suite.platform.urls.signaling,
    ]);
    const specialistPage = await openCall(specialist, appointmentId, suite.platform.urls.signaling);
    await specialistPage.evaluate(
      (id) => (window as unknown as { admit(id: string): Promise<void> }).admit(id),
      clinic.user.id,
    );
    await until(
      () => framesOf(specialistPage, clinic.user.id),
      (frames) => frames > 10,
      'the clinic’s video on the specialist’s side',
    );
    await until(
      () => framesOf(clinicPage, specialist.user.id),
      (frames) => frames > 10,
      'the specialist’s video on the clinic’s side',
    );

    // Acknowledged through the node about to die: records stored them before the ack.
    const chat = (await clinicPage.evaluate('window.sendChat("BP taken, patient seated")')) as { id: string };
    const vital = (await clinicPage.evaluate(
      `window.recordVitalSign({ kind: 'heart-rate', value: 88, unit: '/min', takenAt: new Date().toISOString() })`,
    )) as { id: string };

    // Frames decoded on each side, sampled through the kill: the longest stretch without a new frame is printed.
    const samples: Array<{ at: number; clinicSees: number; specialistSees: number }> = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const seen = await Promise.all([
          framesOf(clinicPage, specialist.user.id),
          framesOf(specialistPage, clinic.user.id),
        ]).catch(() => undefined);
        if (!seen) return; // the pages closed: the test failed before it stopped sampling
        const [clinicSees, specialistSees] = seen;
        samples.push({ at: Date.now(), clinicSees, specialistSees });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    // The video settles first (the first seconds switch simulcast layers, each switch waiting for a key frame):
    // the same span before the kill is the reference for what a stall on this machine looks like anyway.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const consumersBefore = await Promise.all([
      consumersOf(clinicPage, specialist.user.id),
      consumersOf(specialistPage, clinic.user.id),
    ]);
    const killedAt = Date.now();
    await clinicNode!.stop('SIGKILL');
    const history = await until(
      () => clinicPage.evaluate('window.callState()') as Promise<{ state: string; history: string[] }>,
      (s) => s.history.includes('reconnecting') && s.state === 'connected',
      'the clinic back in the call through the other node',
      60_000,
    );
    process.stderr.write(
      `[recovery] signaling node killed → the clinic rejoined through the other node in ${Date.now() - killedAt} ms ` +
        `(${JSON.stringify(history.history)})\n`,
    );
    const framesAtRejoin = await framesOf(specialistPage, clinic.user.id);
    await until(
      () => framesOf(specialistPage, clinic.user.id),
      (frames) => frames > framesAtRejoin + 20,
      'the clinic’s video still decoded on the specialist’s side',
      60_000,
    );
    const clinicFramesNow = await framesOf(clinicPage, specialist.user.id);
    await until(
      () => framesOf(clinicPage, specialist.user.id),
      (frames) => frames > clinicFramesNow + 20,
      'the specialist’s video still decoded on the clinic’s side',
      60_000,
    );
    sampling = false;
    await sampler;
    const before = stalls(samples.filter((sample) => sample.at >= killedAt - 3_000 && sample.at <= killedAt));
    const longest = stalls(samples.filter((sample) => sample.at >= killedAt));
    process.stderr.write(
      `[recovery] longest stretch without a new frame: ${JSON.stringify(longest)} after the kill, ` +
        `${JSON.stringify(before)} in the 3 s before it\n`,
    );
    // Media never stops: the other node adopted the clinic's transports, producers and consumers, which the SFU
    // held all along (here each side went 0-0.9 s without a new frame after the kill; re-creating them cost
    // 1.7-1.9 s). The stretch is printed, not asserted: on this shared machine a page alone stalled 2.5 s once
    // without any kill, and the speed target lives in `bench:field`'s "signaling killed" row. What does not
    // depend on timing is asserted: the video decoded after the kill comes through the same consumers.
    expect(
      await Promise.all([
        consumersOf(clinicPage, specialist.user.id),
        consumersOf(specialistPage, clinic.user.id),
      ]),
    ).toEqual(consumersBefore);

    // Nothing acknowledged was lost: records holds the message and the vital sign.
    const consultation = await suite
      .recordsAs(specialist)
      .call('openConsultation', { params: { appointmentId } });
    expect(consultation.chat.map((m: { id: string }) => m.id)).toContain(chat.id);
    expect(consultation.vitalSigns.map((v: { id: string }) => v.id)).toContain(vital.id);
    // And the call goes on through the new node: a message now is stored and heard.
    const after = (await clinicPage.evaluate('window.sendChat("still here")')) as { text: string };
    expect(after.text).toBe('still here');
  });
});

/** The longest time each side went without its decoded-frame count rising, in milliseconds. */
function stalls(samples: FramesSeen[]) {
  return {
    clinicSeesSpecialist: longestStall(samples, 'clinicSees'),
    specialistSeesClinic: longestStall(samples, 'specialistSees'),
  };
}
