import type { ClientToServerEvents, ServerToClientEvents } from '@telemed/shared';
import { io, type Socket } from 'socket.io-client';
import type { BenchRoom } from './benchAccounts.js';

export type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const requestTimeoutMs = 15_000;

/** A failure the bench counts (a refused ack, a timeout, a lost socket), with where it happened. */
export class BenchErrors {
  readonly list: string[] = [];

  add(where: string, error: unknown): void {
    this.list.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A signaling socket over WebSocket that does not reconnect on its own (a drop is an error of the bench). */
export async function connectBenchSocket(url: string, accessToken: string): Promise<BenchSocket> {
  const socket: BenchSocket = io(url, {
    auth: { token: accessToken },
    transports: ['websocket'],
    reconnection: false,
    timeout: requestTimeoutMs,
    forceNew: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
  } catch (error) {
    socket.close();
    throw error;
  }
  return socket;
}

/** Sends `event` and returns the ack's data; a refusal (`ok: false`) or no answer in time throws. */
async function ask(
  socket: BenchSocket,
  event: keyof ClientToServerEvents,
  payload: unknown,
): Promise<unknown> {
  const untyped = socket.timeout(requestTimeoutMs) as unknown as Socket;
  const ack = (await untyped.emitWithAck(event, payload)) as
    | { ok: true; data: unknown }
    | { ok: false; code: string; message: string };
  if (!ack.ok) throw new Error(`${event} refused: ${ack.code} ${ack.message}`);
  return ack.data;
}

/** Resolves with the time of the first `event` whose payload `matches`; listen before the action. */
type Notification = keyof ServerToClientEvents;
type PayloadOf<E extends Notification> = Parameters<ServerToClientEvents[E]>[0];

function arrival<E extends Notification>(
  socket: BenchSocket,
  event: E,
  matches: (payload: PayloadOf<E>) => boolean,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.offAny(listener);
      reject(new Error(`no ${event} within ${requestTimeoutMs} ms`));
    }, requestTimeoutMs);
    const listener = (name: string, payload: unknown) => {
      if (name !== event || !matches(payload as PayloadOf<E>)) return;
      clearTimeout(timer);
      socket.offAny(listener);
      resolve(performance.now());
    };
    socket.onAny(listener);
  });
}

async function setUpMedia(socket: BenchSocket, appointmentId: string): Promise<void> {
  await ask(socket, 'media:router-capabilities', { appointmentId });
  await ask(socket, 'media:create-transport', { appointmentId, direction: 'send' });
  await ask(socket, 'media:create-transport', { appointmentId, direction: 'recv' });
}

/** Where a room's join-to-ready went, in milliseconds. */
export interface JoinPhases {
  total: number;
  /** The clinic's `room:join` until its ack (records checked, the appointment moved to `waiting`). */
  clinicJoin: number;
  /** The specialist's `room:join` and `room:admit` (the appointment moved to `in-progress`). */
  specialistJoinAndAdmit: number;
  /** Router capabilities and two transports each, on the SFU. */
  media: number;
}

/** A room's two sockets once both are joined and have their transports. */
export interface ReadyRoom {
  room: BenchRoom;
  clinic: BenchSocket;
  specialist: BenchSocket;
}

/**
 * The clinic joins (and waits), the specialist joins and admits it, then both set up media: router capabilities
 * and a send and a receive transport each on the SFU. Returns the milliseconds from the clinic's `room:join` to
 * both having their transports.
 */
export async function joinAndSetUp(
  signalingUrl: string,
  room: BenchRoom,
): Promise<ReadyRoom & { phases: JoinPhases }> {
  const clinic = await connectBenchSocket(signalingUrl, room.clinic.accessToken);
  const specialist = await connectBenchSocket(signalingUrl, room.specialist.accessToken).catch((error) => {
    clinic.close();
    throw error;
  });
  const { appointmentId } = room;
  try {
    const started = performance.now();
    const admitted = arrival(
      clinic,
      'room:admitted',
      (p) => p.participant.participantId === room.clinic.user.id,
    );
    await ask(clinic, 'room:join', { appointmentId });
    const clinicWaiting = performance.now();
    await ask(specialist, 'room:join', { appointmentId });
    await ask(specialist, 'room:admit', { appointmentId, participantId: room.clinic.user.id });
    const specialistAdmitted = performance.now();
    await Promise.all([
      admitted.then(() => setUpMedia(clinic, appointmentId)),
      setUpMedia(specialist, appointmentId),
    ]);
    const ready = performance.now();
    const phases = {
      total: ready - started,
      clinicJoin: clinicWaiting - started,
      specialistJoinAndAdmit: specialistAdmitted - clinicWaiting,
      media: ready - specialistAdmitted,
    };
    return { room, clinic, specialist, phases };
  } catch (error) {
    clinic.close();
    specialist.close();
    throw error;
  }
}

/** One chat message from `from`, timed until the other participant's socket shows it. */
export async function chatRoundTrip(
  ready: ReadyRoom,
  from: 'clinic' | 'specialist',
  sequence: number,
): Promise<number> {
  const sender = ready[from];
  const receiver = from === 'clinic' ? ready.specialist : ready.clinic;
  const clientMessageId = `${from}-${sequence}`;
  const started = performance.now();
  const shown = arrival(receiver, 'chat:message', (p) => p.clientMessageId === clientMessageId);
  await ask(sender, 'chat:send', {
    appointmentId: ready.room.appointmentId,
    text: `Bench message ${sequence} from the ${from}`,
    clientMessageId,
  });
  return (await shown) - started;
}

/** A vital sign the clinic records; the specialist must be told it. */
export async function recordVital(ready: ReadyRoom, sequence: number): Promise<void> {
  const told = arrival(
    ready.specialist,
    'vitals:recorded',
    (p) => 'value' in p.vitalSign && p.vitalSign.value === 60 + sequence,
  );
  await ask(ready.clinic, 'vitals:record', {
    appointmentId: ready.room.appointmentId,
    kind: 'heart-rate',
    value: 60 + sequence,
    unit: '/min',
    takenAt: new Date().toISOString(),
  });
  await told;
}
