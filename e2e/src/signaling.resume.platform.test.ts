import { randomBytes } from 'node:crypto';
import {
  type Appointment,
  createSfuControlClient,
  type SessionResponse,
  type SfuControlClient,
} from '@telemed/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { platformForSuite } from './testing/platformForSuite.js';
import { joinedRoom } from './testing/roomSteps.js';
import { type ClientSocket, request } from './testing/signalingClient.js';

const sfuSecret = randomBytes(24).toString('hex');

/**
 * A socket that comes back without its Socket.IO session (its signaling node died, so it reached another one)
 * resumes the media the SFU still holds: `room:join` with `resume` naming its transports, then `media:resume`.
 * Only the same user naming exactly the transports stored for them gets them; a resume the SFU can no longer
 * honour closes what is left and answers `resumed: false`. One signaling node is enough here: a new socket of the
 * same user is what the other node sees (the browser test `recovery.signaling` kills a node for real).
 */
describe('media resumed by a socket that came back, with the real SFU and records', () => {
  const suite = platformForSuite('media-resume', { env: { SFU_CONTROL_SECRET: sfuSecret } });
  let sfu: SfuControlClient;
  let clinic: SessionResponse;
  let specialist: SessionResponse;
  let appointments: Appointment[];

  beforeAll(async () => {
    sfu = createSfuControlClient({ url: suite.platform.urls.sfu, secret: sfuSecret });
    [clinic, specialist] = await Promise.all([suite.signIn('clinic_doctor'), suite.signIn('specialist')]);
    appointments = await suite.scheduledAppointments(clinic, specialist, 2);
  });

  /** Both in the room, the clinic with a send and a receive transport on the SFU. */
  async function clinicWithTransports(appointmentId: string) {
    const clinicSocket = await suite.connect(clinic);
    const specialistSocket = await suite.connect(specialist);
    await joinedRoom({ appointmentId, clinicSocket, specialistSocket, clinicId: clinic.user.id });
    await request(clinicSocket).emitWithAck('media:router-capabilities', { appointmentId });
    const transportIds: string[] = [];
    for (const direction of ['send', 'recv'] as const) {
      const made = await request(clinicSocket).emitWithAck('media:create-transport', {
        appointmentId,
        direction,
      });
      if (!made.ok) throw new Error(JSON.stringify(made));
      transportIds.push(made.data.transportId);
    }
    return { clinicSocket, specialistSocket, transportIds };
  }

  const held = async (appointmentId: string) =>
    (await sfu('getRoomStats', { roomId: appointmentId })).transports.map((t) => t.transportId).sort();
  const restartIce = (socket: ClientSocket, appointmentId: string, transportId: string) =>
    request(socket).emitWithAck('media:restart-ice', { appointmentId, transportId });

  it('hands the same user’s media to the socket naming its transports; nobody else gets them', async () => {
    const appointmentId = appointments[0]!.id;
    const { specialistSocket, transportIds } = await clinicWithTransports(appointmentId);

    // The specialist names the clinic's transports: they are not the specialist's, nothing is adopted.
    expect(
      await request(specialistSocket).emitWithAck('room:join', {
        appointmentId,
        resume: { transportIds },
      }),
    ).toMatchObject({ ok: true });
    expect(await request(specialistSocket).emitWithAck('media:resume', { appointmentId })).toMatchObject({
      ok: true,
      data: { resumed: false },
    });
    expect(await restartIce(specialistSocket, appointmentId, transportIds[0]!)).toMatchObject({
      ok: false,
      error: { code: 'MEDIA_OUT_OF_ORDER' },
    });

    // The clinic comes back on a new socket naming its two transports: they stay open and are its own now.
    const back = await suite.connect(clinic);
    expect(
      await request(back).emitWithAck('room:join', { appointmentId, resume: { transportIds } }),
    ).toMatchObject({ ok: true });
    expect(await request(back).emitWithAck('media:resume', { appointmentId })).toMatchObject({
      ok: true,
      data: { resumed: true, producers: [] },
    });
    expect(await held(appointmentId)).toEqual([...transportIds].sort());
    expect(await restartIce(back, appointmentId, transportIds[0]!)).toMatchObject({ ok: true });
    expect(
      await request(back).emitWithAck('media:create-transport', { appointmentId, direction: 'recv' }),
    ).toMatchObject({ ok: true });

    // A newer socket naming only part of them starts without media: the old transports are closed.
    const partial = await suite.connect(clinic);
    expect(
      await request(partial).emitWithAck('room:join', {
        appointmentId,
        resume: { transportIds: [transportIds[0]!] },
      }),
    ).toMatchObject({ ok: true });
    expect(await request(partial).emitWithAck('media:resume', { appointmentId })).toMatchObject({
      ok: true,
      data: { resumed: false },
    });
    await expect.poll(() => held(appointmentId), { timeout: 10_000 }).toEqual([]);
  });

  it('answers resumed: false when the SFU no longer holds them all, and closes what is left', async () => {
    const appointmentId = appointments[1]!.id;
    const { transportIds } = await clinicWithTransports(appointmentId);
    await sfu('closeTransport', { roomId: appointmentId, transportId: transportIds[0]! });

    const back = await suite.connect(clinic);
    expect(
      await request(back).emitWithAck('room:join', { appointmentId, resume: { transportIds } }),
    ).toMatchObject({ ok: true });
    expect(await request(back).emitWithAck('media:resume', { appointmentId })).toMatchObject({
      ok: true,
      data: { resumed: false },
    });
    await expect.poll(() => held(appointmentId), { timeout: 10_000 }).toEqual([]);
    // The browser makes its media anew, as on a first join.
    expect(
      await request(back).emitWithAck('media:create-transport', { appointmentId, direction: 'send' }),
    ).toMatchObject({ ok: true });
  });
});
