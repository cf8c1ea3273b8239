import type { Appointment, SessionResponse } from '@telemed/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { platformForSuite } from './testing/platformForSuite.js';
import { joinedRoom } from './testing/roomSteps.js';
import {
  type ClientSocket,
  eventTimeoutMs,
  nextNotification as next,
  recordNotifications as record,
  request,
} from './testing/signalingClient.js';

/** Short, so that a socket that does not come back is seen leaving within a test. */
const recoverySeconds = 6;

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 7),
]);

/**
 * Live clinical data and reconnection in a consultation room, through the real signaling server with records
 * storing every chat line and vital sign: the whole platform started as `npm start` starts it.
 */
describe('live clinical data and reconnection in the room, with the real records service', () => {
  const suite = platformForSuite('live', {
    env: { SIGNALING_RECOVERY_SECONDS: String(recoverySeconds) },
  });
  let clinic: SessionResponse;
  let otherClinic: SessionResponse;
  let specialist: SessionResponse;
  let appointments: Appointment[];

  beforeAll(async () => {
    [clinic, otherClinic, specialist] = await Promise.all([
      suite.signIn('clinic_doctor', 0),
      suite.signIn('clinic_doctor', 1),
      suite.signIn('specialist', 0),
    ]);
    appointments = await suite.scheduledAppointments(clinic, specialist, 4);
  });

  const connect = (session: SessionResponse, reconnection = false) =>
    suite.connect(session, { reconnection });

  /** The clinic waits, the specialist joins and admits: both joined, the appointment in progress. */
  const consultation = (appointmentId: string, clinicSocket: ClientSocket, specialistSocket: ClientSocket) =>
    joinedRoom({ appointmentId, clinicSocket, specialistSocket, clinicId: clinic.user.id });

  it('stores chat, vitals and attachments in records before the room hears of them, with the stored ids', async () => {
    const appointmentId = appointments[0]!.id;
    const otherRoomId = appointments[1]!.id;
    const clinicSocket = await connect(clinic);
    const specialistSocket = await connect(specialist);
    // The same clinic doctor waits in another room on another socket: it must hear nothing of this one.
    const otherRoomSocket = await connect(clinic);
    expect(
      await request(otherRoomSocket).emitWithAck('room:join', { appointmentId: otherRoomId }),
    ).toMatchObject({
      ok: true,
    });
    const otherRoomHeard = record(otherRoomSocket);

    // Waiting is not admitted: the clinic may not chat yet, and nothing is stored.
    expect(await request(clinicSocket).emitWithAck('room:join', { appointmentId })).toMatchObject({
      ok: true,
    });
    expect(
      await request(clinicSocket).emitWithAck('chat:send', { appointmentId, text: 'hello?' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'PARTICIPANT_NOT_ADMITTED' },
    });
    expect(await request(specialistSocket).emitWithAck('room:join', { appointmentId })).toMatchObject({
      ok: true,
    });
    const admitted = next(clinicSocket, 'room:admitted');
    await request(specialistSocket).emitWithAck('room:admit', {
      appointmentId,
      participantId: clinic.user.id,
    });
    await admitted;

    // Chat: the specialist hears the message records stored, with its id and time.
    const heardChat = next(specialistSocket, 'chat:message');
    const echo = next(clinicSocket, 'chat:message');
    const sent = await request(clinicSocket).emitWithAck('chat:send', {
      appointmentId,
      text: 'The patient is here.',
      clientMessageId: 'c-1',
    });
    expect(sent).toMatchObject({
      ok: true,
      data: { text: 'The patient is here.', authorId: clinic.user.id },
    });
    const stored = sent.ok ? sent.data : undefined;
    expect(await heardChat).toEqual({ appointmentId, message: stored, clientMessageId: 'c-1' });
    expect(await echo).toEqual({ appointmentId, message: stored, clientMessageId: 'c-1' });

    // Vitals: taken at the clinic, stored, then told to the specialist.
    const heardVitals = next(specialistSocket, 'vitals:recorded');
    const takenAt = new Date().toISOString();
    const recorded = await request(clinicSocket).emitWithAck('vitals:record', {
      appointmentId,
      kind: 'blood-pressure',
      systolic: 128,
      diastolic: 84,
      unit: 'mmHg',
      takenAt,
    });
    expect(recorded).toMatchObject({ ok: true, data: { kind: 'blood-pressure', systolic: 128 } });
    const vitalSign = recorded.ok ? recorded.data : undefined;
    expect(await heardVitals).toEqual({ appointmentId, vitalSign });

    // What the room heard is what records holds, read back through records' API.
    const consultation = await suite
      .recordsAs(specialist)
      .call('openConsultation', { params: { appointmentId } });
    expect(consultation.chat).toContainEqual(stored);
    expect(consultation.vitalSigns).toContainEqual(vitalSign);

    // An attachment uploaded through records' HTTP API, then announced: the room hears records' own metadata.
    const attachment = await suite.recordsAs(clinic).call('uploadAttachment', {
      params: { id: consultation.id },
      upload: { contentType: 'image/png', bytes: png, fileName: 'ecg.png' },
    });
    const heardAttachment = next(specialistSocket, 'attachment:added');
    expect(
      await request(clinicSocket).emitWithAck('attachment:notice', {
        appointmentId,
        attachmentId: attachment.id,
      }),
    ).toEqual({ ok: true, data: attachment });
    expect(await heardAttachment).toEqual({ appointmentId, attachment });

    // Refusals: records' own (a specialist does not record vitals), an attachment that is not there, malformed
    // payloads, another room, another clinic. None of them is stored or heard.
    const heardBefore = record(specialistSocket);
    expect(
      await request(specialistSocket).emitWithAck('vitals:record', {
        appointmentId,
        kind: 'heart-rate',
        value: 80,
        unit: '/min',
        takenAt,
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await request(clinicSocket).emitWithAck('attachment:notice', {
        appointmentId,
        attachmentId: otherRoomId,
      }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    for (const malformed of [
      { appointmentId, text: '   ' },
      { appointmentId, text: 'x'.repeat(4001) },
      { appointmentId, text: 'hi', extra: true },
      { appointmentId: 'not-an-id', text: 'hi' },
    ]) {
      expect(await request(clinicSocket).emitWithAck('chat:send', malformed as never)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
    expect(
      await request(clinicSocket).emitWithAck('vitals:record', {
        appointmentId,
        kind: 'spo2',
        value: 140,
        unit: '%',
        takenAt,
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(
      await request(clinicSocket).emitWithAck('chat:send', {
        appointmentId: otherRoomId,
        text: 'wrong room',
      }),
    ).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_JOINED' } });
    const stranger = await connect(otherClinic);
    expect(
      await request(stranger).emitWithAck('chat:send', { appointmentId, text: 'let me in' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'ROOM_NOT_JOINED' },
    });
    expect(
      await request(stranger).emitWithAck('attachment:notice', {
        appointmentId,
        attachmentId: attachment.id,
      }),
    ).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_JOINED' } });
    const after = await suite.recordsAs(specialist).call('openConsultation', { params: { appointmentId } });
    expect(after.chat).toEqual(consultation.chat);
    expect(after.vitalSigns).toEqual(consultation.vitalSigns);
    expect(heardBefore).toEqual([]);
    expect(otherRoomHeard.filter((e) => !e.event.startsWith('waiting:'))).toEqual([]);
    expect(suite.died).toEqual([]);
  });

  it('sends a snapshot request to the clinic’s sockets in that room only', async () => {
    const appointmentId = appointments[2]!.id;
    const clinicSocket = await connect(clinic);
    const specialistSocket = await connect(specialist);
    const clinicElsewhere = await connect(clinic);
    await consultation(appointmentId, clinicSocket, specialistSocket);
    const elsewhereHeard = record(clinicElsewhere);
    const specialistHeard = record(specialistSocket);

    const requested = next(clinicSocket, 'snapshot:requested');
    expect(await request(specialistSocket).emitWithAck('snapshot:request', { appointmentId })).toEqual({
      ok: true,
      data: { sentTo: 1 },
    });
    expect(await requested).toEqual({ appointmentId, requestedBy: specialist.user.id });
    expect(await request(clinicSocket).emitWithAck('snapshot:request', { appointmentId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // A round trip on each socket: anything sent to them before it has arrived.
    await request(clinicElsewhere).emitWithAck('session:whoami');
    await request(specialistSocket).emitWithAck('session:whoami');
    expect(elsewhereHeard).toEqual([]);
    expect(specialistHeard.filter((e) => e.event === 'snapshot:requested')).toEqual([]);
    expect(suite.died).toEqual([]);
  });

  it('keeps a dropped socket’s place: "reconnecting", then "back", and the room goes on', async () => {
    const appointmentId = appointments[3]!.id;
    const clinicSocket = await connect(clinic, true);
    const specialistSocket = await connect(specialist);
    await consultation(appointmentId, clinicSocket, specialistSocket);
    const specialistHeard = record(specialistSocket);
    const socketId = clinicSocket.id;

    const reconnecting = next(specialistSocket, 'room:participant-reconnecting');
    const back = next(specialistSocket, 'room:participant-back');
    const recovered = new Promise<boolean>((resolve) =>
      clinicSocket.once('connect', () => resolve(clinicSocket.recovered)),
    );
    // The link fails under the socket (as a lost network would); the client reconnects on its own.
    clinicSocket.io.engine.close();
    expect(await reconnecting).toEqual({ appointmentId, participantId: clinic.user.id });
    expect(await recovered).toBe(true);
    expect(clinicSocket.id).toBe(socketId);
    expect(await back).toEqual({ appointmentId, participantId: clinic.user.id });

    // Same place, same channels: chat flows both ways, nobody left, and the grace does not end it later.
    const heardByClinic = next(clinicSocket, 'chat:message');
    const fromSpecialist = await request(specialistSocket).emitWithAck('chat:send', {
      appointmentId,
      text: 'Can you hear me?',
    });
    expect(fromSpecialist).toMatchObject({ ok: true });
    expect((await heardByClinic).message).toEqual(fromSpecialist.ok ? fromSpecialist.data : undefined);
    expect(
      await request(clinicSocket).emitWithAck('chat:send', { appointmentId, text: 'Yes.' }),
    ).toMatchObject({
      ok: true,
    });
    await new Promise((resolve) => setTimeout(resolve, (recoverySeconds + 2) * 1000));
    expect(specialistHeard.filter((e) => e.event === 'room:participant-left')).toEqual([]);
    expect(
      await request(clinicSocket).emitWithAck('chat:send', { appointmentId, text: 'Still here.' }),
    ).toMatchObject({ ok: true });
    expect(suite.died).toEqual([]);
  });

  it('lets a dropped socket that does not come back leave when the recovery window ends', async () => {
    const appointmentId = appointments[1]!.id;
    const clinicSocket = await connect(clinic);
    const specialistSocket = await connect(specialist);
    // The clinic's earlier socket in this room (first test) is replaced by this one.
    await consultation(appointmentId, clinicSocket, specialistSocket);

    const reconnecting = next(specialistSocket, 'room:participant-reconnecting');
    const left = next(
      specialistSocket,
      'room:participant-left',
      () => true,
      eventTimeoutMs + recoverySeconds * 1000,
    );
    const droppedAt = Date.now();
    clinicSocket.io.engine.close();
    expect(await reconnecting).toEqual({ appointmentId, participantId: clinic.user.id });
    expect(await left).toEqual({ appointmentId, participantId: clinic.user.id, reason: 'disconnected' });
    // Not before the window: the place was held for it.
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual((recoverySeconds - 1) * 1000);

    // A client whose state was not recovered joins again: after the window it is a new arrival, and waits.
    const again = await connect(clinic);
    expect(await request(again).emitWithAck('room:join', { appointmentId })).toMatchObject({ ok: true });
    expect(await request(again).emitWithAck('chat:send', { appointmentId, text: 'Back.' })).toMatchObject({
      ok: false,
      error: { code: 'PARTICIPANT_NOT_ADMITTED' },
    });
    expect(suite.died).toEqual([]);
  });
});
