import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import { ensureRedisServerInstalled } from '@telemed/service-kit';
import {
  type Appointment,
  createSfuControlClient,
  type SessionResponse,
  type SfuControlClient,
} from '@telemed/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { framesDecoded, openMediaPage, startConsumer, startProducer } from './testing/mediaPageDriver.js';
import { platformForSuite } from './testing/platformForSuite.js';
import { endedRoom, joinedRoom, producerCloseHeard } from './testing/roomSteps.js';
import { serveMediaPage } from './testing/serveMediaPage.js';
import { type ClientSocket, nextNotification as next, request } from './testing/signalingClient.js';
import { type SignalingNode, startSignalingNode } from './testing/signalingNode.js';

/** The sweep runs every 10 s and one node claims each period: a killed node's people go within two. */
const sweepTimeoutMs = 45_000;

const installed = ensureRedisServerInstalled();
if (!installed.ok) console.warn(`Media across two signaling nodes not tested: ${installed.reason}`);

/**
 * Media when the clinic and the specialist are on different signaling nodes over one real redis-server: the
 * clinic on a second `signaling/dist/main.js` (its node, which the test kills), the specialist on the
 * platform's own node. Browser pages with mediasoup-client in Chromium produce and consume; the SFU is asked
 * directly what is still open on it.
 */
describe.runIf(installed.ok)(
  'media across two signaling nodes, with real Redis, SFU, records and Chromium',
  () => {
    const suite = platformForSuite('crossnode', { redis: true });
    let sfu: SfuControlClient;
    let clinicNode: SignalingNode | undefined;
    let clinic: SessionResponse;
    let specialist: SessionResponse;
    let appointments: Appointment[];
    let browser: LaunchedChromium;
    let mediaPage: { url: string; close(): Promise<void> };

    beforeAll(async () => {
      const secret = JSON.parse(readFileSync(join(suite.dataDir, 'secrets.json'), 'utf8')).SFU_CONTROL_SECRET;
      sfu = createSfuControlClient({ url: suite.platform.urls.sfu, secret });
      // A second signaling process on the same records, SFU and Redis: the clinic's node.
      clinicNode = await startSignalingNode(suite.platform, suite.dataDir, suite.redisUrl);
      [clinic, specialist] = await Promise.all([suite.signIn('clinic_doctor'), suite.signIn('specialist')]);
      appointments = await suite.scheduledAppointments(clinic, specialist, 2);
      mediaPage = await serveMediaPage();
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await mediaPage?.close();
      await clinicNode?.stop();
    });

    /** The clinic waits on its node, the specialist joins on the platform's node and admits it. */
    async function admittedAcrossNodes(appointmentId: string) {
      const clinicSocket = await suite.connect(clinic, { url: clinicNode?.url });
      const specialistSocket = await suite.connect(specialist);
      await joinedRoom({ appointmentId, clinicSocket, specialistSocket, clinicId: clinic.user.id });
      return { clinicSocket, specialistSocket };
    }

    const openPage = (socket: ClientSocket) => openMediaPage(browser, mediaPage.url, () => socket);

    it('closes the router when the room ends through a node that made none of its media', async () => {
      const appointmentId = appointments[0]!.id;
      const { clinicSocket, specialistSocket } = await admittedAcrossNodes(appointmentId);
      // Only the clinic's node makes media: the specialist's node never hears of the router.
      const transport = await request(clinicSocket).emitWithAck('media:create-transport', {
        appointmentId,
        direction: 'send',
      });
      if (!transport.ok) throw new Error(JSON.stringify(transport));
      expect((await sfu('getRoomStats', { roomId: appointmentId })).transports).toHaveLength(1);

      await endedRoom(specialistSocket, appointmentId, sfu);
      expect(suite.died).toEqual([]);
    });

    it('offers the clinic’s camera, produced through the other node first, to the specialist, who decodes it; when the clinic’s node is killed, its media closes and the specialist is told', async () => {
      const appointmentId = appointments[1]!.id;
      const { clinicSocket, specialistSocket } = await admittedAcrossNodes(appointmentId);

      // The clinic's camera goes up through its node before the specialist sets up any media.
      const producerPage = await openPage(clinicSocket);
      const { video } = await startProducer(producerPage, appointmentId);

      // The specialist's node learns of it from the shared room state, not from its own memory.
      const consumerPage = await openPage(specialistSocket);
      const consuming = await startConsumer(consumerPage, appointmentId);
      expect(consuming.consumerIds).toHaveLength(1);
      expect(await framesDecoded(consumerPage)).toBeGreaterThan(10);
      const before = await sfu('getRoomStats', { roomId: appointmentId });
      expect(before.producers.map((p) => p.producerId)).toEqual([video]);
      const clinicTransports = before.transports
        .map((t) => t.transportId)
        .filter((id) => id !== consuming.transportId);
      expect(clinicTransports).toHaveLength(1);

      // Killed: the clinic's node closes nothing, and its browser keeps sending. The sweep on the specialist's
      // node takes the clinic out, closes its transport on the SFU by id and tells the specialist.
      const left = next(specialistSocket, 'room:participant-left', undefined, sweepTimeoutMs);
      const producerGone = producerCloseHeard(specialistSocket, sweepTimeoutMs);
      await clinicNode?.stop('SIGKILL');
      expect(await left).toEqual({ appointmentId, participantId: clinic.user.id, reason: 'disconnected' });
      await producerGone({
        appointmentId,
        producerId: video,
        participantId: clinic.user.id,
        consumerId: consuming.consumerIds[0],
      });
      const after = await sfu('getRoomStats', { roomId: appointmentId });
      expect(after.producers).toEqual([]);
      expect(after.transports.map((t) => t.transportId)).toEqual([consuming.transportId]);

      // The consultation goes on without the clinic: the specialist's own media is untouched.
      expect(
        await request(specialistSocket).emitWithAck('media:router-capabilities', { appointmentId }),
      ).toMatchObject({ ok: true, data: { producers: [] } });
      await producerPage.close();
      await consumerPage.close();
      expect(await request(specialistSocket).emitWithAck('room:end', { appointmentId })).toMatchObject({
        ok: true,
      });
      expect(suite.died).toEqual([]);
    }, 180_000);
  },
);
