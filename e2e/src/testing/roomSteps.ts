import { expect } from 'vitest';
import { type ClientSocket, nextNotification, request } from './signalingClient.js';

/**
 * The clinic waits in the room, the specialist joins and admits it, and the clinic is told: both joined, the
 * appointment in progress. Each step must be accepted.
 */
export async function joinedRoom({
  appointmentId,
  clinicSocket,
  specialistSocket,
  clinicId,
}: {
  appointmentId: string;
  clinicSocket: ClientSocket;
  specialistSocket: ClientSocket;
  clinicId: string;
}): Promise<void> {
  expect(await request(clinicSocket).emitWithAck('room:join', { appointmentId })).toMatchObject({ ok: true });
  expect(await request(specialistSocket).emitWithAck('room:join', { appointmentId })).toMatchObject({
    ok: true,
  });
  const admitted = nextNotification(clinicSocket, 'room:admitted');
  expect(
    await request(specialistSocket).emitWithAck('room:admit', { appointmentId, participantId: clinicId }),
  ).toMatchObject({ ok: true, data: { appointmentStatus: 'in-progress' } });
  await admitted;
}
