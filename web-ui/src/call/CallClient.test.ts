import { AppError, type RoomProducer, type RoomState } from '@telemed/shared';
import { describe, expect, it } from 'vitest';
import { ScriptedSignal } from '../testing/ScriptedSignal.js';
import { CallClient, CallState } from './CallClient.js';
import type { CallMediaEvents, CallMediaPort, MediaSample } from './CallMedia.js';
import { NetworkQuality, networkQuality } from './networkQuality.js';
import { SignalState } from './SignalClient.js';
import { TypedEmitter } from './TypedEmitter.js';

/*
 * The call client's state machine. HERE ONLY the signaling link and the media are test doubles (a scripted
 * signaling server and a media layer that records what it was asked): the state machine's paths are driven
 * one by one, which a real link cannot do on demand. The real path (SignalClient over Socket.IO, CallMedia with
 * mediasoup-client, the real platform) is tested in Chromium by `e2e/src/callClient.browser.test.ts`.
 */

const appointmentId = 'a'.repeat(24);
const clinicId = 'c'.repeat(24);
const specialistId = 'd'.repeat(24);
const since = new Date(0).toISOString();

function room(clinicStatus: 'waiting' | 'joined' | null, specialist = true): RoomState {
  return {
    appointmentId,
    appointmentStatus: clinicStatus === 'joined' ? 'in-progress' : 'waiting',
    participants: [
      ...(clinicStatus
        ? [
            {
              participantId: clinicId,
              role: 'clinic_doctor' as const,
              callRole: 'clinic' as const,
              name: { ar: 'د. العيادة', latin: 'Dr Clinic' },
              status: clinicStatus,
              since,
            },
          ]
        : []),
      ...(specialist
        ? [
            {
              participantId: specialistId,
              role: 'specialist' as const,
              callRole: 'booked-specialist' as const,
              name: { ar: 'د. الاختصاصي', latin: 'Dr Spec' },
              status: 'joined' as const,
              since,
            },
          ]
        : []),
    ],
  };
}

/** A media layer that records what the call asked of it. */
class RecordingMedia implements CallMediaPort {
  readonly calls: string[] = [];
  readonly events = new TypedEmitter<CallMediaEvents>();
  closed = 0;
  sampleValue: MediaSample = { send: { lossRatio: 0, rttMs: 20 }, receive: {} };
  readonly consumers = new Map<string, string>();

  async start() {
    this.calls.push('start');
  }
  async publish(stream: MediaStream) {
    this.calls.push(`publish:${(stream as unknown as { id: string }).id}`);
  }
  async consume(producer: RoomProducer) {
    this.calls.push(`consume:${producer.producerId}`);
  }
  producerClosed(producerId: string) {
    this.calls.push(`producer-closed:${producerId}`);
  }
  consumerClosed(consumerId: string) {
    this.calls.push(`consumer-closed:${consumerId}`);
  }
  async setMicrophoneMuted(muted: boolean) {
    this.calls.push(`mic-muted:${muted}`);
  }
  async setCameraOff(off: boolean) {
    this.calls.push(`camera-off:${off}`);
  }
  async replaceTrack() {}
  async startScreenShare() {}
  async stopScreenShare() {}
  ownsProducer(producerId: string) {
    return producerId === 'own-video';
  }
  participantOfConsumer(consumerId: string) {
    return this.consumers.get(consumerId);
  }
  reset() {
    this.calls.push('reset');
  }
  transportIds() {
    return this.transports;
  }
  transports: string[] = [];
  async resumed(producers: RoomProducer[]) {
    this.calls.push(`resumed:${producers.map((p) => p.producerId).join(',')}`);
  }

  async sample() {
    return this.sampleValue;
  }
  async receivedVideo() {
    return [];
  }
  on<E extends keyof CallMediaEvents>(event: E, listener: (...args: CallMediaEvents[E]) => void) {
    return this.events.on(event, listener);
  }
  close() {
    this.closed++;
  }
}

const fakeStream = (id: string) =>
  ({ id, getTracks: () => [], getAudioTracks: () => [], getVideoTracks: () => [] }) as unknown as MediaStream;

function setUp(selfId: string) {
  const signal = new ScriptedSignal();
  const media: RecordingMedia[] = [];
  const client = new CallClient({
    signal,
    selfId,
    createMedia: () => {
      const m = new RecordingMedia();
      media.push(m);
      return m;
    },
    qualityIntervalMs: 20,
  });
  const states: CallState[] = [];
  client.on('state', (state) => states.push(state));
  return { signal, media, client, states };
}

/** Resolves once `client` is in `state` (the steps after a notification run in the background). */
async function reaches(client: CallClient, state: CallState): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (client.state !== state) {
    if (Date.now() > deadline) throw new Error(`still ${client.state}, never ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('CallClient', () => {
  it('a clinic doctor joins, waits, is admitted, and is connected with its stream published', async () => {
    const { signal, media, client, states } = setUp(clinicId);
    signal.handlers.set('room:join', () => room('waiting'));

    await client.join(appointmentId, fakeStream('local'));
    expect(client.state).toBe(CallState.waiting);
    expect(media).toHaveLength(0); // no media before admission: signaling would refuse it
    expect(client.snapshot.participants.map((p) => p.participantId)).toEqual([specialistId]);

    signal.notify('room:admitted', {
      appointmentId,
      participant: {
        participantId: clinicId,
        role: 'clinic_doctor',
        callRole: 'clinic',
        name: { ar: 'د. العيادة', latin: 'Dr Clinic' },
        status: 'joined',
        since,
      },
    });
    await reaches(client, CallState.connected);
    expect(states).toEqual([CallState.joining, CallState.waiting, CallState.connecting, CallState.connected]);
    // Receiving and publishing start together (neither waits for the other).
    expect(media[0]?.calls).toEqual(['publish:local', 'start']);

    // Another participant's producer and its closing reach the media layer.
    signal.notify('media:new-producer', {
      appointmentId,
      producer: { producerId: 'p1', participantId: specialistId, kind: 'video', source: 'camera' },
    });
    signal.notify('media:producer-closed', { appointmentId, producerId: 'p1', participantId: specialistId });
    // Another room's notices are not ours.
    signal.notify('media:new-producer', {
      appointmentId: 'b'.repeat(24),
      producer: { producerId: 'p2', participantId: specialistId, kind: 'video', source: 'screen' },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(media[0]?.calls).toEqual(['publish:local', 'start', 'consume:p1', 'producer-closed:p1']);
    client.close();
  });

  it('media:reset (the room’s SFU node died) makes the same media anew; its state is the snapshot’s', async () => {
    const { signal, media, client } = setUp(specialistId);
    signal.handlers.set('room:join', () => room('joined'));
    await client.join(appointmentId, fakeStream('local'));
    await reaches(client, CallState.connected);
    expect(client.snapshot.mediaConnection).toBe('connecting');
    media[0]?.events.emit('connection', 'connected');
    expect(client.snapshot.mediaConnection).toBe('connected');

    signal.notify('media:reset', { appointmentId: 'b'.repeat(24), reason: 'sfu-node-lost' });
    signal.notify('media:reset', { appointmentId, reason: 'sfu-node-lost' });
    media[0]?.events.emit('connection', 'reconnecting');
    expect(client.snapshot.mediaConnection).toBe('reconnecting');
    // The call itself goes on: same room, same media object, no rejoin.
    expect(client.state).toBe(CallState.connected);
    expect(media).toHaveLength(1);
    expect(media[0]?.calls).toEqual(['publish:local', 'start', 'reset']);
    client.close();
  });

  it('our weak uplink and the others’ show apart from the SFU’s pauses, and end with the video’s resume or close', async () => {
    const { signal, media, client } = setUp(specialistId);
    signal.handlers.set('room:join', () => room('joined'));
    await client.join(appointmentId, fakeStream('local'));
    await reaches(client, CallState.connected);
    // Our own camera, paused by the media for our uplink (UplinkGuard), then resumed by itself.
    media[0]?.events.emit('uplink-video', true);
    expect(client.snapshot.uplinkVideoPaused).toBe(true);
    expect(client.snapshot.sendingAudioOnly).toBe(false);
    media[0]?.events.emit('uplink-video', false);
    expect(client.snapshot.uplinkVideoPaused).toBe(false);
    // The clinic paused its camera for its uplink: named as such; a camera turned off is not a weak link.
    const paused = (p: boolean, reason?: 'user' | 'bandwidth') =>
      signal.notify('media:producer-paused', {
        appointmentId,
        producerId: 'camera-1',
        participantId: clinicId,
        paused: p,
        ...(reason ? { reason } : {}),
      });
    paused(true, 'bandwidth');
    expect(client.snapshot.videoPausedBySender).toEqual([clinicId]);
    expect(client.snapshot.videoPausedFrom).toEqual([]);
    paused(false);
    expect(client.snapshot.videoPausedBySender).toEqual([]);
    paused(true, 'user');
    expect(client.snapshot.videoPausedBySender).toEqual([]);
    paused(true, 'bandwidth');
    signal.notify('media:producer-closed', {
      appointmentId,
      producerId: 'camera-1',
      participantId: clinicId,
    });
    expect(client.snapshot.videoPausedBySender).toEqual([]);
    client.close();
  });

  it('a specialist is joined at once, admits the waiting clinic, and sees its link drop and come back', async () => {
    const { signal, client } = setUp(specialistId);
    signal.handlers.set('room:join', () => room('waiting'));
    signal.handlers.set('room:admit', () => room('joined'));
    await client.join(appointmentId, fakeStream('local'));
    expect(client.state).toBe(CallState.connected);
    expect(client.snapshot.participants).toMatchObject([{ participantId: clinicId, status: 'waiting' }]);

    await client.admit(clinicId);
    expect(signal.named('room:admit')).toEqual([{ appointmentId, participantId: clinicId }]);
    expect(client.snapshot.participants).toMatchObject([{ participantId: clinicId, status: 'joined' }]);

    signal.notify('room:participant-reconnecting', { appointmentId, participantId: clinicId });
    expect(client.snapshot.participants).toMatchObject([{ participantId: clinicId, link: 'reconnecting' }]);
    signal.notify('room:participant-back', { appointmentId, participantId: clinicId });
    expect(client.snapshot.participants).toMatchObject([{ participantId: clinicId, link: 'connected' }]);
    client.close();
  });

  it('the booked specialist invites and withdraws a specialist; the invited one, withdrawn, is out of the call', async () => {
    const invitedId = 'e'.repeat(24);
    const invitation = { specialistId: invitedId, invitedBy: specialistId, at: since };
    const { signal, client } = setUp(specialistId);
    signal.handlers.set('room:join', () => room('joined'));
    signal.handlers.set('room:invite', () => ({ ...room('joined'), invitations: [invitation] }));
    signal.handlers.set('room:withdraw-invitation', () => ({ ...room('joined'), invitations: [] }));
    await client.join(appointmentId, fakeStream('local'));
    await client.invite(invitedId);
    expect(signal.named('room:invite')).toEqual([{ appointmentId, specialistId: invitedId }]);
    expect(client.snapshot.invitations).toEqual([invitation]);
    await client.withdrawInvitation(invitedId);
    expect(signal.named('room:withdraw-invitation')).toEqual([{ appointmentId, specialistId: invitedId }]);
    expect(client.snapshot.invitations).toEqual([]);
    client.close();

    const invited = setUp(invitedId);
    const withInvited = room('joined');
    withInvited.participants.push({
      participantId: invitedId,
      role: 'specialist',
      callRole: 'invited-specialist',
      name: { ar: 'د. المدعو', latin: 'Dr Invited' },
      status: 'joined',
      since,
    });
    invited.signal.handlers.set('room:join', () => withInvited);
    await invited.client.join(appointmentId, fakeStream('local'));
    invited.signal.notify('room:participant-left', {
      appointmentId,
      participantId: invitedId,
      reason: 'withdrawn',
    });
    expect(invited.client.state).toBe(CallState.left);
    expect(invited.client.snapshot.endReason).toBe('withdrawn');
    expect(invited.media[0]?.closed).toBe(1);
    invited.client.close();
  });

  it('a dropped link that Socket.IO recovered goes back to connected with the same media and no rejoin', async () => {
    const { signal, media, client, states } = setUp(specialistId);
    signal.handlers.set('room:join', () => room('joined'));
    await client.join(appointmentId, fakeStream('local'));

    signal.link({ state: SignalState.reconnecting, recovered: false });
    expect(client.state).toBe(CallState.reconnecting);
    signal.link({ state: SignalState.connected, recovered: true });
    expect(client.state).toBe(CallState.connected);

    expect(signal.named('room:join')).toHaveLength(1);
    expect(media).toHaveLength(1);
    expect(media[0]?.closed).toBe(0);
    expect(states.slice(-2)).toEqual([CallState.reconnecting, CallState.connected]);
    client.close();
  });

  it('a dropped link that was not recovered rejoins the room and sets its media up again with the same stream', async () => {
    const { signal, media, client, states } = setUp(specialistId);
    signal.handlers.set('room:join', () => room('joined'));
    await client.join(appointmentId, fakeStream('local'));
    await client.setMicrophoneMuted(true);

    signal.link({ state: SignalState.reconnecting, recovered: false });
    signal.link({ state: SignalState.connected, recovered: false });
    await reaches(client, CallState.connected);

    expect(signal.named('room:join')).toEqual([{ appointmentId }, { appointmentId }]);
    expect(media).toHaveLength(2);
    expect(media[0]?.closed).toBe(1);
    // The new media sends the same local stream, still muted as the person left it.
    expect(media[1]?.calls).toEqual(['publish:local', 'start', 'mic-muted:true']);
    expect(states.slice(-3)).toEqual([CallState.reconnecting, CallState.connecting, CallState.connected]);
    client.close();
  });

  it('a link that came back through another signaling node resumes the media it kept: no transport is made again', async () => {
    const { signal, media, client, states } = setUp(clinicId);
    signal.handlers.set('room:join', () => room('joined'));
    await client.join(appointmentId, fakeStream('local'));
    await reaches(client, CallState.connected);
    media[0]!.transports = ['send-1', 'recv-1'];
    const missed: RoomProducer = {
      producerId: 'screen-of-specialist',
      participantId: specialistId,
      kind: 'video',
      source: 'screen',
    };
    signal.handlers.set('media:resume', () => ({ resumed: true, producers: [missed] }));

    signal.link({ state: SignalState.reconnecting, recovered: false });
    // While the socket is away the media stays: the SFU still holds it.
    expect(media[0]?.closed).toBe(0);
    signal.link({ state: SignalState.connected, recovered: false });
    await reaches(client, CallState.connected);

    expect(signal.named('room:join')).toEqual([
      { appointmentId },
      { appointmentId, resume: { transportIds: ['send-1', 'recv-1'] } },
    ]);
    expect(signal.named('media:resume')).toEqual([{ appointmentId }]);
    expect(media).toHaveLength(1);
    expect(media[0]?.closed).toBe(0);
    expect(media[0]?.calls.at(-1)).toBe('resumed:screen-of-specialist');
    expect(states.slice(-2)).toEqual([CallState.reconnecting, CallState.connected]);
    client.close();
  });

  it('a resume the SFU can no longer honour falls back to setting the media up anew', async () => {
    const { signal, media, client, states } = setUp(clinicId);
    signal.handlers.set('room:join', () => room('joined'));
    await client.join(appointmentId, fakeStream('local'));
    await reaches(client, CallState.connected);
    media[0]!.transports = ['send-1', 'recv-1'];
    signal.handlers.set('media:resume', () => ({ resumed: false, producers: [] }));

    signal.link({ state: SignalState.reconnecting, recovered: false });
    signal.link({ state: SignalState.connected, recovered: false });
    await reaches(client, CallState.connected);

    expect(signal.named('media:resume')).toHaveLength(1);
    expect(media).toHaveLength(2);
    expect(media[0]?.closed).toBe(1);
    expect(media[1]?.calls).toEqual(['publish:local', 'start']);
    expect(states.slice(-3)).toEqual([CallState.reconnecting, CallState.connecting, CallState.connected]);
    client.close();
  });

  it('a clinic doctor whose link dropped while waiting waits again after the rejoin, without media', async () => {
    const { signal, media, client } = setUp(clinicId);
    signal.handlers.set('room:join', () => room('waiting'));
    await client.join(appointmentId, fakeStream('local'));
    signal.link({ state: SignalState.reconnecting, recovered: false });
    signal.link({ state: SignalState.connected, recovered: false });
    await reaches(client, CallState.waiting);
    expect(signal.named('room:join')).toHaveLength(2);
    expect(media).toHaveLength(0);
    client.close();
  });

  it('leaving tells the room, closes the media and is final; close() after it changes nothing', async () => {
    const { signal, media, client } = setUp(specialistId);
    signal.handlers.set('room:join', () => room('joined'));
    signal.handlers.set('room:leave', () => ({ left: true }));
    await client.join(appointmentId, fakeStream('local'));
    // The others' cameras and screens, as the media layer splits them, are the screens' to show.
    const camera = fakeStream('camera-of-clinic');
    const screen = fakeStream('screen-of-clinic');
    media[0]?.events.emit('remote-streams', {
      streams: { [clinicId]: camera },
      screens: { [clinicId]: screen },
    });
    expect(client.snapshot.remoteStreams).toEqual({ [clinicId]: camera });
    expect(client.snapshot.remoteScreens).toEqual({ [clinicId]: screen });
    await client.leave();
    expect(client.snapshot).toMatchObject({
      state: CallState.left,
      endReason: 'left',
      remoteStreams: {},
      remoteScreens: {},
    });
    expect(signal.named('room:leave')).toEqual([{ appointmentId }]);
    expect(media[0]?.closed).toBe(1);

    // Later notices of the room do not bring the call back.
    signal.notify('room:state', room('joined'));
    signal.link({ state: SignalState.reconnecting, recovered: false });
    expect(client.state).toBe(CallState.left);

    client.close();
    client.close();
    expect(signal.closed).toBe(1);
    expect(media[0]?.closed).toBe(1);
  });

  it('the specialist ends the consultation; the clinic hears room:ended and its call ends too', async () => {
    const specialist = setUp(specialistId);
    specialist.signal.handlers.set('room:join', () => room('joined'));
    specialist.signal.handlers.set('room:end', () => ({
      ...room(null, false),
      appointmentStatus: 'completed',
    }));
    await specialist.client.join(appointmentId, fakeStream('s'));
    await specialist.client.end();
    expect(specialist.client.snapshot).toMatchObject({
      state: CallState.ended,
      endReason: 'ended',
      appointmentStatus: 'completed',
    });

    const clinic = setUp(clinicId);
    clinic.signal.handlers.set('room:join', () => room('joined'));
    await clinic.client.join(appointmentId, fakeStream('c'));
    clinic.signal.notify('room:ended', { appointmentId, appointmentStatus: 'completed' });
    expect(clinic.client.snapshot).toMatchObject({ state: CallState.ended, endReason: 'ended' });
    expect(clinic.media[0]?.closed).toBe(1);
    specialist.client.close();
    clinic.client.close();
  });

  it('a revoked session ends the call with its reason and the server’s error', async () => {
    const { signal, media, client } = setUp(clinicId);
    signal.handlers.set('room:join', () => room('joined'));
    await client.join(appointmentId, fakeStream('local'));
    signal.notify('session:revoked', {
      error: { code: 'ACCOUNT_INACTIVE', message: 'This account is not active; contact the administrator.' },
    });
    expect(client.snapshot).toMatchObject({ state: CallState.failed, endReason: 'session-revoked' });
    expect(client.snapshot.error).toBeInstanceOf(AppError);
    expect(client.snapshot.error?.code).toBe('ACCOUNT_INACTIVE');
    expect(media[0]?.closed).toBe(1);
    // The server disconnects the socket right after: the call stays failed for that reason.
    signal.link({ state: SignalState.disconnected, recovered: false });
    expect(client.snapshot.endReason).toBe('session-revoked');
    client.close();
  });

  it('an expired session refreshes its token and rejoins, though the server closed the socket meanwhile', async () => {
    const signal = new ScriptedSignal();
    const media: RecordingMedia[] = [];
    let refreshed!: (ok: boolean) => void;
    const client = new CallClient({
      signal,
      selfId: specialistId,
      createMedia: () => {
        const m = new RecordingMedia();
        media.push(m);
        return m;
      },
      refreshSession: () => new Promise<boolean>((resolve) => (refreshed = resolve)),
    });
    signal.handlers.set('room:join', () => room('joined'));
    await client.join(appointmentId, fakeStream('local'));
    signal.notify('session:expired', {
      error: { code: 'TOKEN_EXPIRED', message: 'Your session has expired.' },
    });
    signal.link({ state: SignalState.disconnected, recovered: false });
    expect(client.state).toBe(CallState.reconnecting);
    refreshed(true);
    await reaches(client, CallState.connected);
    expect(signal.named('room:join')).toHaveLength(2);
    expect(media).toHaveLength(2);

    // A refresh that fails ends the call: signing in again is the way back.
    signal.notify('session:expired', {
      error: { code: 'TOKEN_EXPIRED', message: 'Your session has expired.' },
    });
    refreshed(false);
    await reaches(client, CallState.failed);
    expect(client.snapshot).toMatchObject({ endReason: 'session-expired', error: { code: 'TOKEN_EXPIRED' } });
    client.close();
  });

  it('a refused join rejects with the server’s AppError and leaves the call failed', async () => {
    const { signal, client } = setUp(clinicId);
    signal.handlers.set('room:join', () => {
      throw new AppError('FORBIDDEN', 'You are not allowed to do this.');
    });
    await expect(client.join(appointmentId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(client.snapshot).toMatchObject({ state: CallState.failed, endReason: 'error' });
    client.close();
  });

  it('a link given up on fails the call; a replaced socket of ours ends it as replaced', async () => {
    const first = setUp(specialistId);
    first.signal.handlers.set('room:join', () => room('joined'));
    await first.client.join(appointmentId, fakeStream('a'));
    first.signal.link({ state: SignalState.reconnecting, recovered: false });
    first.signal.link({ state: SignalState.disconnected, recovered: false });
    expect(first.client.snapshot).toMatchObject({ state: CallState.failed, endReason: 'disconnected' });

    const second = setUp(specialistId);
    second.signal.handlers.set('room:join', () => room('joined'));
    await second.client.join(appointmentId, fakeStream('b'));
    second.signal.notify('room:participant-left', {
      appointmentId,
      participantId: specialistId,
      reason: 'replaced',
    });
    expect(second.client.snapshot).toMatchObject({ state: CallState.failed, endReason: 'replaced' });
    first.client.close();
    second.client.close();
  });

  it('rates each side from the SFU’s scores and the browser’s stats', async () => {
    const { signal, media, client } = setUp(specialistId);
    signal.handlers.set('room:join', () => room('joined'));
    await client.join(appointmentId, fakeStream('local'));
    const m = media[0]!;
    m.consumers.set('c1', clinicId);
    m.sampleValue = {
      send: { lossRatio: 0, rttMs: 30 },
      receive: { [clinicId]: { lossRatio: 0.2, rttMs: 30 } },
    };
    signal.notify('media:score', { of: 'producer', appointmentId, producerId: 'own-video', score: 10 });
    signal.notify('media:score', { of: 'consumer', appointmentId, consumerId: 'c1', score: 9 });
    const deadline = Date.now() + 5_000;
    while (client.snapshot.localQuality === NetworkQuality.unknown && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(client.snapshot.localQuality).toBe(NetworkQuality.good);
    // 20% loss on what comes from the clinic: poor, whatever the SFU's score.
    expect(client.snapshot.participants).toMatchObject([
      { participantId: clinicId, quality: NetworkQuality.poor },
    ]);
    client.close();
  });
});

describe('networkQuality', () => {
  it('is the worst of the SFU score, the loss and the round trip', () => {
    expect(networkQuality({ sfuScore: null, lossRatio: null, rttMs: null })).toBe('unknown');
    expect(networkQuality({ sfuScore: 10, lossRatio: 0, rttMs: 40 })).toBe('good');
    expect(networkQuality({ sfuScore: 6, lossRatio: 0, rttMs: 40 })).toBe('fair');
    expect(networkQuality({ sfuScore: 10, lossRatio: 0.05, rttMs: 40 })).toBe('fair');
    expect(networkQuality({ sfuScore: 10, lossRatio: 0, rttMs: 500 })).toBe('fair');
    expect(networkQuality({ sfuScore: 3, lossRatio: 0, rttMs: 40 })).toBe('poor');
    expect(networkQuality({ sfuScore: 10, lossRatio: 0.1, rttMs: 40 })).toBe('poor');
    expect(networkQuality({ sfuScore: null, lossRatio: null, rttMs: 1000 })).toBe('poor');
  });
});
