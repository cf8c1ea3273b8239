import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type LaunchedChromium, launchChromium } from '@telemed/browser-testing';
import type { RunningPlatform } from '@telemed/launcher';
import {
  ensureRedisServerInstalled,
  freePorts,
  type RunningRedisServer,
  startRedisServer,
} from '@telemed/service-kit';
import {
  type Appointment,
  createSfuControlClient,
  type SessionResponse,
  type SfuControlClient,
} from '@telemed/shared';
import type { Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduledAppointments, signInDemoRole } from './testing/demoSessions.js';
import { startPlatformOnFreePorts } from './testing/platformOnFreePorts.js';
import { serveMediaPage } from './testing/serveMediaPage.js';
import { type ClientSocket, connectSignaling, nextNotification as next } from './testing/signalingClient.js';

const eventTimeoutMs = 15_000;
/** The sweep runs every 10 s and one node claims each period: a killed node's people go within two. */
const sweepTimeoutMs = 45_000;
const repoRoot = resolve(import.meta.dirname, '../..');

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
    let redis: RunningRedisServer;
    let platform: RunningPlatform;
    let dataDir: string;
    let sfu: SfuControlClient;
    let clinicNode: ChildProcess | undefined;
    let clinicNodeUrl: string;
    const clinicNodeOutput: string[] = [];
    const died: string[] = [];
    const sockets: ClientSocket[] = [];
    let clinic: SessionResponse;
    let specialist: SessionResponse;
    let appointments: Appointment[];
    let browser: LaunchedChromium;
    let mediaPage: { url: string; close(): Promise<void> };

    beforeAll(async () => {
      redis = await startRedisServer();
      dataDir = mkdtempSync(join(tmpdir(), 'telemed-e2e-crossnode-'));
      platform = await startPlatformOnFreePorts(
        dataDir,
        { LOG_LEVEL: 'warn', REDIS_URL: redis.url },
        {
          echo: (line) => process.stderr.write(`${line}\n`),
          onServiceDied: (service, code) => died.push(`${service} exited with ${code}`),
        },
      );
      const secret = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).SFU_CONTROL_SECRET;
      sfu = createSfuControlClient({ url: platform.urls.sfu, secret });
      await startClinicNode(secret);
      [clinic, specialist] = await Promise.all([
        signInDemoRole(platform, 'clinic_doctor'),
        signInDemoRole(platform, 'specialist'),
      ]);
      appointments = await scheduledAppointments(platform, clinic, specialist);
      expect(appointments.length).toBeGreaterThanOrEqual(2);
      mediaPage = await serveMediaPage();
      browser = await launchChromium();
    });

    afterAll(async () => {
      for (const socket of sockets.splice(0)) socket.close();
      await browser?.close();
      await mediaPage?.close();
      if (clinicNode && clinicNode.exitCode === null && clinicNode.signalCode === null) {
        const exited = once(clinicNode, 'exit');
        clinicNode.kill('SIGTERM');
        await exited;
      }
      await platform?.stop();
      await redis?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    /** A second signaling process on the same records, SFU and Redis, on a port of its own. */
    async function startClinicNode(secret: string): Promise<void> {
      const [port] = await freePorts(1);
      clinicNodeUrl = `http://127.0.0.1:${port}`;
      clinicNode = spawn(process.execPath, ['signaling/dist/main.js'], {
        cwd: repoRoot,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          HOST: '127.0.0.1',
          SIGNALING_PORT: String(port),
          RECORDS_URL: platform.urls.records,
          SFU_URL: platform.urls.sfu,
          SFU_CONTROL_SECRET: secret,
          REDIS_URL: redis.url,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      for (const stream of [clinicNode.stdout, clinicNode.stderr]) {
        stream?.on('data', (chunk: Buffer) => clinicNodeOutput.push(chunk.toString()));
      }
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ready = await fetch(`${clinicNodeUrl}/readyz`).then(
          (res) => res.ok,
          () => false,
        );
        if (ready) return;
        if (Date.now() > deadline || clinicNode.exitCode !== null) {
          throw new Error(`the clinic's signaling node did not become ready:\n${clinicNodeOutput.join('')}`);
        }
        await new Promise((done) => setTimeout(done, 200));
      }
    }

    async function connect(url: string, session: SessionResponse): Promise<ClientSocket> {
      const socket = await connectSignaling(url, session.accessToken);
      sockets.push(socket);
      return socket;
    }

    const request = (socket: ClientSocket) => socket.timeout(eventTimeoutMs);

    /** Any event by name: the page's requests arrive as plain names and payloads. */
    function raw(socket: ClientSocket, event: string, payload: unknown): Promise<unknown> {
      return (socket.timeout(eventTimeoutMs) as unknown as Socket).emitWithAck(event, payload);
    }

    /** The clinic waits on its node, the specialist joins on the platform's node and admits it. */
    async function admittedAcrossNodes(appointmentId: string) {
      const clinicSocket = await connect(clinicNodeUrl, clinic);
      const specialistSocket = await connect(platform.urls.signaling, specialist);
      expect(await request(clinicSocket).emitWithAck('room:join', { appointmentId })).toMatchObject({
        ok: true,
      });
      expect(await request(specialistSocket).emitWithAck('room:join', { appointmentId })).toMatchObject({
        ok: true,
      });
      expect(
        await request(specialistSocket).emitWithAck('room:admit', {
          appointmentId,
          participantId: clinic.user.id,
        }),
      ).toMatchObject({ ok: true, data: { appointmentStatus: 'in-progress' } });
      return { clinicSocket, specialistSocket };
    }

    /** A page whose `window.signal` goes through `socket`, as a call client's would. */
    async function openPage(socket: ClientSocket): Promise<Page> {
      const page = await browser.context.newPage();
      page.on('pageerror', (e) => process.stderr.write(`[page] ${e.message}\n`));
      await page.exposeFunction('signal', async (event: string, payload: unknown) => {
        const answer = (await raw(socket, event, payload)) as
          | { ok: true; data: unknown }
          | { ok: false; error: { code: string; message: string } };
        if (!answer.ok) throw new Error(`${event}: ${answer.error.code} ${answer.error.message}`);
        return answer.data;
      });
      await page.goto(mediaPage.url);
      return page;
    }

    async function framesDecoded(page: Page): Promise<number> {
      let frames = 0;
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        frames = (await page.evaluate('window.videoFramesDecoded()')) as number;
        if (frames > 10) return frames;
        await new Promise((done) => setTimeout(done, 250));
      }
      return frames;
    }

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

      expect(await request(specialistSocket).emitWithAck('room:end', { appointmentId })).toMatchObject({
        ok: true,
      });
      await eventually(() =>
        sfu('getRoomStats', { roomId: appointmentId }).then(
          () => false,
          (error: { code?: string }) => error.code === 'ROOM_NOT_FOUND',
        ),
      );
      expect(died).toEqual([]);
    });

    it('offers the clinic’s camera, produced through the other node first, to the specialist, who decodes it; when the clinic’s node is killed, its media closes and the specialist is told', async () => {
      const appointmentId = appointments[1]!.id;
      const { clinicSocket, specialistSocket } = await admittedAcrossNodes(appointmentId);

      // The clinic's camera goes up through its node before the specialist sets up any media.
      const producerPage = await openPage(clinicSocket);
      const { video } = (await producerPage.evaluate(
        `window.startProducer(${JSON.stringify(appointmentId)})`,
      )) as {
        video: string;
      };

      // The specialist's node learns of it from the shared room state, not from its own memory.
      const consumerPage = await openPage(specialistSocket);
      const consuming = (await consumerPage.evaluate(
        `window.startConsumer(${JSON.stringify(appointmentId)})`,
      )) as {
        transportId: string;
        consumerIds: string[];
      };
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
      const producerClosed = next(specialistSocket, 'media:producer-closed', undefined, sweepTimeoutMs);
      const consumerClosed = next(specialistSocket, 'media:consumer-closed', undefined, sweepTimeoutMs);
      const exited = once(clinicNode as ChildProcess, 'exit');
      clinicNode?.kill('SIGKILL');
      await exited;
      expect(await left).toEqual({ appointmentId, participantId: clinic.user.id, reason: 'disconnected' });
      expect(await producerClosed).toEqual({
        appointmentId,
        producerId: video,
        participantId: clinic.user.id,
      });
      expect(await consumerClosed).toMatchObject({
        appointmentId,
        consumerId: consuming.consumerIds[0],
        reason: 'producerclose',
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
      expect(died).toEqual([]);
    }, 180_000);
  },
);

/** Asks until `check` holds: the SFU closes what signaling asked just after signaling answers. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + eventTimeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((done) => setTimeout(done, 200));
  }
}
