import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import { freePorts } from '@telemed/launcher';
import {
  type Appointment,
  createSfuControlClient,
  type SessionResponse,
  type SfuControlClient,
} from '@telemed/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './testing/askUntil.js';
import { framesDecoded, openMediaPage, startConsumer, startProducer } from './testing/mediaPageDriver.js';
import { platformForSuite } from './testing/platformForSuite.js';
import { endedRoom, joinedRoom, producerCloseHeard } from './testing/roomSteps.js';
import { serveMediaPage } from './testing/serveMediaPage.js';
import {
  type ClientSocket,
  nextNotification as next,
  requestByName as raw,
  request,
} from './testing/signalingClient.js';

const sfuSecret = randomBytes(24).toString('hex');
/** Well-formed RTP parameters, for refusals that must come from the rules rather than the schema. */
const vp8 = { codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90_000 }] };

/**
 * Media through the signaling server, with the whole platform started as `npm start` starts it: a browser page
 * with mediasoup-client sets up its call only with `media:*` events, and signaling alone drives the SFU.
 */
describe('media through signaling, with the real SFU, records and Chromium', () => {
  let sfu: SfuControlClient;
  /** A second SFU node in SFU_URLS, started beside the platform's own. */
  let secondSfuProcess: ChildProcess | undefined;
  let secondSfu: SfuControlClient;
  let sfuPort: number | undefined;
  let secondSfuUrl: string;
  let clinic: SessionResponse;
  let specialist: SessionResponse;
  let appointments: Appointment[];

  beforeAll(async () => {
    let secondSfuPort: number | undefined;
    let secondRtcMin: number | undefined;
    [sfuPort, secondSfuPort, secondRtcMin] = await freePorts(3);
    secondSfuUrl = `http://127.0.0.1:${secondSfuPort}`;
    secondSfuProcess = await startSecondSfu({
      SFU_PORT: String(secondSfuPort),
      SFU_CONTROL_SECRET: sfuSecret,
      SFU_RTC_MIN_PORT: String(secondRtcMin),
      SFU_RTC_MAX_PORT: String(Math.min(65535, (secondRtcMin ?? 0) + 100)),
    });
    secondSfu = createSfuControlClient({ url: secondSfuUrl, secret: sfuSecret });
    // The second node starts busier, so that the platform's own SFU takes the rooms until the placement test.
    await secondSfu('createRoom', { roomId: 'ballast' });
    for (let i = 0; i < 6; i++) {
      await secondSfu('createWebRtcTransport', { roomId: 'ballast', direction: 'recv' });
    }
  });
  afterAll(() => {
    secondSfuProcess?.kill('SIGTERM');
  });

  const suite = platformForSuite('media', {
    env: () => ({
      SFU_CONTROL_SECRET: sfuSecret,
      SFU_PORT: String(sfuPort),
      SFU_URLS: `http://127.0.0.1:${sfuPort},${secondSfuUrl}`,
    }),
  });

  beforeAll(async () => {
    // The test reads the SFU's own view, to see that signaling really closes what a participant leaves.
    sfu = createSfuControlClient({ url: suite.platform.urls.sfu, secret: sfuSecret });
    clinic = await suite.signIn('clinic_doctor');
    specialist = await suite.signIn('specialist');
    appointments = await suite.scheduledAppointments(clinic, specialist, 3);
  });

  /** The clinic waits, the specialist joins and admits it: both are joined in the room. */
  async function admittedPair(appointmentId: string) {
    const clinicSocket = await suite.connect(clinic);
    const specialistSocket = await suite.connect(specialist);
    await joinedRoom({ appointmentId, clinicSocket, specialistSocket, clinicId: clinic.user.id });
    return { clinicSocket, specialistSocket };
  }

  it('refuses media before join and before admission, another participant’s transport, steps out of order and malformed payloads', async () => {
    const appointmentId = appointments[0]!.id;
    const clinicSocket = await suite.connect(clinic);
    const specialistSocket = await suite.connect(specialist);

    // Before join: no room place, no media.
    expect(
      await request(specialistSocket).emitWithAck('media:router-capabilities', { appointmentId }),
    ).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_JOINED' } });
    // Joined but waiting: the specialist has not admitted the clinic yet.
    expect(await request(clinicSocket).emitWithAck('room:join', { appointmentId })).toMatchObject({
      ok: true,
    });
    expect(
      await request(clinicSocket).emitWithAck('media:create-transport', { appointmentId, direction: 'send' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'ROOM_NOT_JOINED', message: expect.stringMatching(/admit/) },
    });

    await request(specialistSocket).emitWithAck('room:join', { appointmentId });
    await request(specialistSocket).emitWithAck('room:admit', {
      appointmentId,
      participantId: clinic.user.id,
    });

    // Out of order: produce and connect before any transport, consume before a receive transport.
    const someTransport = 'not-a-transport-yet';
    expect(
      await request(clinicSocket).emitWithAck('media:produce', {
        appointmentId,
        transportId: someTransport,
        kind: 'video',
        rtpParameters: vp8,
      }),
    ).toMatchObject({ ok: false, error: { code: 'MEDIA_OUT_OF_ORDER' } });

    const caps = await request(clinicSocket).emitWithAck('media:router-capabilities', { appointmentId });
    expect(caps).toMatchObject({
      ok: true,
      data: { rtpCapabilities: { codecs: expect.any(Array) }, producers: [] },
    });
    const send = await request(clinicSocket).emitWithAck('media:create-transport', {
      appointmentId,
      direction: 'send',
    });
    if (!send.ok) throw new Error(JSON.stringify(send));
    const clinicTransportId = send.data.transportId;
    expect(
      await request(clinicSocket).emitWithAck('media:consume', {
        appointmentId,
        producerId: 'someone-elses-producer',
        rtpCapabilities: {},
      }),
    ).toMatchObject({ ok: false, error: { code: 'MEDIA_OUT_OF_ORDER' } });

    // The specialist names the clinic's transport: refused, and the clinic's transport is untouched.
    await request(specialistSocket).emitWithAck('media:create-transport', {
      appointmentId,
      direction: 'recv',
    });
    for (const attempt of [
      () =>
        request(specialistSocket).emitWithAck('media:restart-ice', {
          appointmentId,
          transportId: clinicTransportId,
        }),
      () =>
        request(specialistSocket).emitWithAck('media:connect-transport', {
          appointmentId,
          transportId: clinicTransportId,
          dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AA:BB' }] },
        }),
      () =>
        request(specialistSocket).emitWithAck('media:produce', {
          appointmentId,
          transportId: clinicTransportId,
          kind: 'audio',
          rtpParameters: vp8,
        }),
    ]) {
      expect(await attempt()).toMatchObject({ ok: false, error: { code: 'MEDIA_NOT_FOUND' } });
    }
    // Ids that are nobody's in this room: a producer the SFU does not have here, a consumer not the caller's.
    expect(
      await request(specialistSocket).emitWithAck('media:consume', {
        appointmentId,
        producerId: 'producer-of-another-room',
        rtpCapabilities: {},
      }),
    ).toMatchObject({ ok: false, error: { code: 'MEDIA_NOT_FOUND' } });
    expect(
      await request(specialistSocket).emitWithAck('media:resume-consumer', {
        appointmentId,
        consumerId: 'someone-elses-consumer',
      }),
    ).toMatchObject({ ok: false, error: { code: 'MEDIA_NOT_FOUND' } });
    // Producing on one's own receive transport is a step out of order, not a producer.
    const recvOfClinic = await request(clinicSocket).emitWithAck('media:create-transport', {
      appointmentId,
      direction: 'recv',
    });
    if (!recvOfClinic.ok) throw new Error(JSON.stringify(recvOfClinic));
    expect(
      await request(clinicSocket).emitWithAck('media:produce', {
        appointmentId,
        transportId: recvOfClinic.data.transportId,
        kind: 'video',
        rtpParameters: vp8,
      }),
    ).toMatchObject({ ok: false, error: { code: 'MEDIA_OUT_OF_ORDER' } });
    const stats = await sfu('getRoomStats', { roomId: appointmentId });
    expect(stats.transports.map((t) => t.transportId)).toContain(clinicTransportId);
    expect(stats.transports.find((t) => t.transportId === clinicTransportId)?.dtlsState).not.toBe(
      'connected',
    );

    // Another room's id, with a transport of this one: the caller is not in that room.
    expect(
      await request(clinicSocket).emitWithAck('media:restart-ice', {
        appointmentId: appointments[1]!.id,
        transportId: clinicTransportId,
      }),
    ).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_JOINED' } });

    // Malformed payloads never reach a handler.
    for (const [event, payload] of [
      ['media:create-transport', { appointmentId, direction: 'sideways' }],
      ['media:create-transport', { direction: 'send' }],
      ['media:connect-transport', { appointmentId, transportId: '../../etc', dtlsParameters: {} }],
      ['media:produce', { appointmentId, transportId: clinicTransportId, kind: 'smell', rtpParameters: {} }],
      // A source the others could not show, or one that does not send this kind.
      [
        'media:produce',
        {
          appointmentId,
          transportId: clinicTransportId,
          kind: 'video',
          rtpParameters: vp8,
          appData: { source: 'tv' },
        },
      ],
      [
        'media:produce',
        {
          appointmentId,
          transportId: clinicTransportId,
          kind: 'video',
          rtpParameters: vp8,
          appData: { source: 'microphone' },
        },
      ],
      ['media:set-preferred-layers', { appointmentId, consumerId: 'c1', spatialLayer: 9 }],
      // A pause's reason is the person's (`user`) or the uplink's (`bandwidth`), nothing else.
      ['media:pause-producer', { appointmentId, producerId: 'p1', reason: 'bored' }],
      ['media:router-capabilities', { appointmentId, extra: true }],
      ['media:router-capabilities', 'not an object'],
    ] as const) {
      expect(await raw(clinicSocket, event, payload), `${event} ${JSON.stringify(payload)}`).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }

    // Leaving closes the leaver's media on the SFU; ending closes the router.
    expect(await request(clinicSocket).emitWithAck('room:leave', { appointmentId })).toMatchObject({
      ok: true,
    });
    await eventually(async () => {
      const after = await sfu('getRoomStats', { roomId: appointmentId });
      return !after.transports.some((t) => t.transportId === clinicTransportId);
    });
    await endedRoom(specialistSocket, appointmentId, sfu);
    expect(suite.died).toEqual([]);
  });

  it('places a new room on the least-loaded SFU node of SFU_URLS, and keeps it there however the loads change', async () => {
    const appointmentId = appointments[2]!.id;
    // Now the platform's own SFU is the busier one.
    await sfu('createRoom', { roomId: 'ballast' });
    for (let i = 0; i < 12; i++) await sfu('createWebRtcTransport', { roomId: 'ballast', direction: 'recv' });
    const { clinicSocket, specialistSocket } = await admittedPair(appointmentId);
    expect(
      await request(specialistSocket).emitWithAck('media:router-capabilities', { appointmentId }),
    ).toMatchObject({ ok: true });
    expect(await secondSfu('getRoomStats', { roomId: appointmentId })).toMatchObject({ transports: [] });
    await expect(sfu('getRoomStats', { roomId: appointmentId })).rejects.toMatchObject({
      code: 'ROOM_NOT_FOUND',
    });

    // The second node becomes the busiest; the room's media still goes there.
    for (let i = 0; i < 20; i++) {
      await secondSfu('createWebRtcTransport', { roomId: 'ballast', direction: 'recv' });
    }
    const transport = await request(clinicSocket).emitWithAck('media:create-transport', {
      appointmentId,
      direction: 'send',
    });
    if (!transport.ok) throw new Error(JSON.stringify(transport));
    const onSecond = await secondSfu('getRoomStats', { roomId: appointmentId });
    expect(onSecond.transports.map((t) => t.transportId)).toEqual([transport.data.transportId]);

    // The room ends: its router closes on the node it lived on.
    await endedRoom(specialistSocket, appointmentId, secondSfu);
    expect(suite.died).toEqual([]);
  });

  describe('in Chromium', () => {
    let browser: LaunchedChromium;
    let mediaPage: { url: string; close(): Promise<void> };

    beforeAll(async () => {
      mediaPage = await serveMediaPage();
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await mediaPage?.close();
    });

    const openPage = (socketOf: () => ClientSocket) => openMediaPage(browser, mediaPage.url, socketOf);

    it('the clinic produces, the specialist consumes and decodes; after the specialist’s socket drops, it rejoins, sets up again and decodes again', async () => {
      const appointmentId = appointments[1]!.id;
      const pair = await admittedPair(appointmentId);
      let specialistSocket = pair.specialistSocket;
      const producerPage = await openPage(() => pair.clinicSocket);
      const consumerPage = await openPage(() => specialistSocket);

      const announced = next(specialistSocket, 'media:new-producer');
      const { video } = await startProducer(producerPage, appointmentId);
      expect(await announced).toEqual({
        appointmentId,
        // The page's producer names no source in its appData: the default of its kind.
        producer: { producerId: video, participantId: clinic.user.id, kind: 'video', source: 'camera' },
      });
      const producerScore = next(
        pair.clinicSocket,
        'media:score',
        (score) => score.of === 'producer' && score.producerId === video,
      );
      const consumerScore = next(specialistSocket, 'media:score', (score) => score.of === 'consumer');
      const first = await startConsumer(consumerPage, appointmentId);
      expect(first.consumerIds).toHaveLength(1);
      expect(await framesDecoded(consumerPage)).toBeGreaterThan(10);
      // Each owner hears the scores of its own media, sampled from the SFU.
      expect(await producerScore).toMatchObject({ appointmentId, score: expect.any(Number) });
      expect(await consumerScore).toMatchObject({ appointmentId, consumerId: first.consumerIds[0] });

      // Held on the lowest simulcast layer: the SFU's layer change reaches the consumer's owner.
      const lowest = next(
        specialistSocket,
        'media:layers-changed',
        ({ consumerId, layers }) => consumerId === first.consumerIds[0] && layers?.spatialLayer === 0,
      );
      expect(
        await request(specialistSocket).emitWithAck('media:set-preferred-layers', {
          appointmentId,
          consumerId: first.consumerIds[0]!,
          spatialLayer: 0,
        }),
      ).toEqual({ ok: true, data: { done: true } });
      expect(await lowest).toMatchObject({ appointmentId, layers: { spatialLayer: 0 } });

      // The specialist's link drops: signaling closes its transport (and consumer) on the SFU.
      const clinicSeesLeft = next(pair.clinicSocket, 'room:participant-left');
      specialistSocket.disconnect();
      await clinicSeesLeft;
      await eventually(async () => {
        const stats = await sfu('getRoomStats', { roomId: appointmentId });
        return (
          !stats.transports.some((t) => t.transportId === first.transportId) &&
          !stats.consumers.some((c) => first.consumerIds.includes(c.consumerId))
        );
      });
      await consumerPage.evaluate('window.stopConsumer()');

      // Back on a new socket: rejoin (the specialist is joined at once), new transports, frames again.
      specialistSocket = await suite.connect(specialist);
      expect(await request(specialistSocket).emitWithAck('room:join', { appointmentId })).toMatchObject({
        ok: true,
      });
      const second = await startConsumer(consumerPage, appointmentId);
      expect(second.transportId).not.toBe(first.transportId);
      expect(second.consumerIds).toHaveLength(1);
      expect(await framesDecoded(consumerPage)).toBeGreaterThan(10);

      // The producer closes: the consumer's owner hears it from the SFU's events, through signaling.
      const producerGone = producerCloseHeard(specialistSocket);
      expect(
        await request(pair.clinicSocket).emitWithAck('media:close-producer', {
          appointmentId,
          producerId: video,
        }),
      ).toEqual({ ok: true, data: { done: true } });
      await producerGone({
        appointmentId,
        producerId: video,
        participantId: clinic.user.id,
        consumerId: second.consumerIds[0],
      });

      await producerPage.close();
      await consumerPage.close();
      expect(await request(specialistSocket).emitWithAck('room:end', { appointmentId })).toMatchObject({
        ok: true,
      });
      expect(suite.died).toEqual([]);
    });
  });
});

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Starts `sfu/dist/main.js` as its own process (as the launcher does) and waits until it is healthy. */
async function startSecondSfu(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['sfu/dist/main.js'], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${env.SFU_PORT}/healthz`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const healthy = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (healthy) return child;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the second SFU did not start (exit code ${child.exitCode})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
