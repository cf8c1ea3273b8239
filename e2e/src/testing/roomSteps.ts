import type { SfuControlClient } from '@telemed/shared';
import { expect } from 'vitest';
import { routerClosed } from './askUntil.js';
import { type ClientSocket, eventTimeoutMs, nextNotification, request } from './signalingClient.js';

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

/** The specialist ends the room, and the room's router closes on `sfu`, the SFU node it lived on. */
export async function endedRoom(
  specialistSocket: ClientSocket,
  appointmentId: string,
  sfu: SfuControlClient,
): Promise<void> {
  expect(await request(specialistSocket).emitWithAck('room:end', { appointmentId })).toMatchObject({
    ok: true,
  });
  await routerClosed(sfu, appointmentId);
}

/**
 * Listens on a consumer's owner's `socket` for a producer closing and the consumer of it closing with it: listen
 * before the action that closes it, then call the answer with what both notices must say.
 */
export function producerCloseHeard(socket: ClientSocket, timeoutMs = eventTimeoutMs) {
  const producerClosed = nextNotification(socket, 'media:producer-closed', undefined, timeoutMs);
  const consumerClosed = nextNotification(socket, 'media:consumer-closed', undefined, timeoutMs);
  return async (expected: {
    appointmentId: string;
    producerId: string;
    participantId: string;
    consumerId: string | undefined;
  }): Promise<void> => {
    const { appointmentId, producerId, participantId, consumerId } = expected;
    expect(await producerClosed).toEqual({ appointmentId, producerId, participantId });
    expect(await consumerClosed).toMatchObject({ appointmentId, consumerId, reason: 'producerclose' });
  };
}
