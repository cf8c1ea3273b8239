import { ensureRedisServerInstalled } from '@telemed/service-kit';
import type { Appointment, SessionResponse } from '@telemed/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformForSuite } from './testing/platformForSuite.js';
import { nextNotification as next, type PayloadOf, request } from './testing/signalingClient.js';
import { type SignalingNode, startSignalingNode } from './testing/signalingNode.js';

const installed = ensureRedisServerInstalled();
if (!installed.ok) console.warn(`Two signaling nodes over Redis not tested: ${installed.reason}`);

/**
 * Two signaling nodes sharing rooms through a real redis-server (REDIS_URL): node A is the platform's own, node B
 * a second `signaling/dist/main.js` on the same records, SFU and Redis. The clinic is on A, the specialist on B.
 */
describe.runIf(installed.ok)('two signaling nodes over a real redis-server', () => {
  // Longer than the sweep period and than any claim of it node B held when killed: a rejoin within 21 s of a kill
  // must find its place (below), and a participant who never comes back is gone within 10 + 10 + 30 s.
  const goneGraceSeconds = 30;
  const suite = platformForSuite('redis', {
    redis: true,
    env: { SIGNALING_GONE_GRACE_SECONDS: String(goneGraceSeconds) },
  });
  let nodeB: SignalingNode | undefined;
  let clinic: SessionResponse;
  let specialist: SessionResponse;
  let appointments: Appointment[];

  beforeAll(async () => {
    await startNodeB();
    [clinic, specialist] = await Promise.all([suite.signIn('clinic_doctor'), suite.signIn('specialist')]);
    appointments = await suite.scheduledAppointments(clinic, specialist, 5);
  });

  afterAll(async () => {
    await nodeB?.stop();
  });

  /** A second signaling process on the same records, SFU and Redis, on a port of its own. */
  async function startNodeB(): Promise<void> {
    nodeB = await startSignalingNode(suite.platform, suite.dataDir, suite.redisUrl);
  }

  const statusOf = (appointmentId: string) => suite.statusOf(appointmentId, clinic);
  const onNodeA = (session: SessionResponse) => suite.connect(session);
  const onNodeB = (session: SessionResponse) => suite.connect(session, { url: nodeB?.url });
  const waitsIn = (appointmentId: string) => (list: PayloadOf<'waiting:changed'>) =>
    list.waiting.some((w) => w.appointmentId === appointmentId);
  const noLongerWaitsIn = (appointmentId: string) => (list: PayloadOf<'waiting:changed'>) =>
    list.waiting.every((w) => w.appointmentId !== appointmentId);

  it('runs the waiting room across nodes: join on A, seen live on B, admit on B, state on both, chat and vitals both ways, end on B closes A', async () => {
    const appointmentId = appointments[0]!.id;
    const specialistOnB = await onNodeB(specialist);
    const clinicOnA = await onNodeA(clinic);

    const seenWaiting = next(specialistOnB, 'waiting:changed', waitsIn(appointmentId));
    expect(await request(clinicOnA).emitWithAck('room:join', { appointmentId })).toMatchObject({
      ok: true,
      data: {
        appointmentStatus: 'waiting',
        participants: [{ participantId: clinic.user.id, status: 'waiting' }],
      },
    });
    const { waiting } = await seenWaiting;
    expect(waiting.find((w) => w.appointmentId === appointmentId)).toMatchObject({
      participantId: clinic.user.id,
    });
    // Node B reads the waiting list node A wrote.
    expect(await request(specialistOnB).emitWithAck('waiting:list')).toEqual({ ok: true, data: { waiting } });

    const clinicSeesSpecialist = next(clinicOnA, 'room:participant-joined');
    expect(await request(specialistOnB).emitWithAck('room:join', { appointmentId })).toMatchObject({
      ok: true,
      data: {
        participants: [
          { participantId: clinic.user.id, status: 'waiting' },
          { participantId: specialist.user.id, status: 'joined' },
        ],
      },
    });
    expect((await clinicSeesSpecialist).participant).toMatchObject({ participantId: specialist.user.id });

    const bothJoined = (state: PayloadOf<'room:state'>) =>
      state.appointmentStatus === 'in-progress' && state.participants.every((p) => p.status === 'joined');
    const states = [next(clinicOnA, 'room:state', bothJoined), next(specialistOnB, 'room:state', bothJoined)];
    const admittedOnA = next(clinicOnA, 'room:admitted');
    const waitingCleared = next(specialistOnB, 'waiting:changed', noLongerWaitsIn(appointmentId));
    expect(
      await request(specialistOnB).emitWithAck('room:admit', {
        appointmentId,
        participantId: clinic.user.id,
      }),
    ).toMatchObject({ ok: true, data: { appointmentStatus: 'in-progress' } });
    const [clinicState, specialistState] = await Promise.all(states);
    expect(clinicState).toEqual(specialistState);
    expect((await admittedOnA).participant).toMatchObject({
      participantId: clinic.user.id,
      status: 'joined',
    });
    await waitingCleared;
    expect(await statusOf(appointmentId)).toBe('in-progress');

    // Live clinical data crosses the nodes: stored through records on A, heard on B, and back.
    const heardChatOnB = next(specialistOnB, 'chat:message');
    const sent = await request(clinicOnA).emitWithAck('chat:send', { appointmentId, text: 'from node A' });
    expect(sent).toMatchObject({ ok: true, data: { text: 'from node A', authorId: clinic.user.id } });
    expect((await heardChatOnB).message).toEqual(sent.ok ? sent.data : undefined);
    const heardVitalsOnB = next(specialistOnB, 'vitals:recorded');
    const recorded = await request(clinicOnA).emitWithAck('vitals:record', {
      appointmentId,
      kind: 'heart-rate',
      value: 88,
      unit: '/min',
      takenAt: new Date().toISOString(),
    });
    expect(recorded).toMatchObject({ ok: true, data: { kind: 'heart-rate' } });
    expect((await heardVitalsOnB).vitalSign).toEqual(recorded.ok ? recorded.data : undefined);
    const heardChatOnA = next(clinicOnA, 'chat:message');
    const reply = await request(specialistOnB).emitWithAck('chat:send', {
      appointmentId,
      text: 'from node B',
    });
    expect((await heardChatOnA).message).toEqual(reply.ok ? reply.data : undefined);

    const endedOnA = next(clinicOnA, 'room:ended');
    expect(await request(specialistOnB).emitWithAck('room:end', { appointmentId })).toMatchObject({
      ok: true,
      data: { appointmentStatus: 'completed', participants: [] },
    });
    expect(await endedOnA).toEqual({ appointmentId, appointmentStatus: 'completed' });
    expect(await statusOf(appointmentId)).toBe('completed');
    // Node A let go of the clinic's place when B ended the room.
    expect(await request(clinicOnA).emitWithAck('room:leave', { appointmentId })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_NOT_JOINED' },
    });
    expect(suite.died).toEqual([]);
  });

  it('lets a user who comes back on the other node take their place, and tells the old socket', async () => {
    const appointmentId = appointments[1]!.id;
    const specialistOnB = await onNodeB(specialist);
    const clinicOnA = await onNodeA(clinic);
    const seenWaiting = next(specialistOnB, 'waiting:changed', waitsIn(appointmentId));
    expect(await request(clinicOnA).emitWithAck('room:join', { appointmentId })).toMatchObject({ ok: true });
    const { waiting } = await seenWaiting;
    const since = waiting.find((w) => w.appointmentId === appointmentId)?.since;

    const replacedOnA = next(clinicOnA, 'room:participant-left');
    const clinicOnB = await onNodeB(clinic);
    const rejoined = await request(clinicOnB).emitWithAck('room:join', { appointmentId });
    // Same place, same waiting time: one participant, not two.
    expect(rejoined).toMatchObject({
      ok: true,
      data: { participants: [{ participantId: clinic.user.id, status: 'waiting', since }] },
    });
    expect(await replacedOnA).toEqual({ appointmentId, participantId: clinic.user.id, reason: 'replaced' });
    expect(await request(clinicOnA).emitWithAck('room:leave', { appointmentId })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_NOT_JOINED' },
    });

    // And back on A: node A let go of the old socket's place when B took it, so the socket gets a new one,
    // in the room's channel again, and hears who joins next.
    const replacedOnB = next(clinicOnB, 'room:participant-left');
    expect(await request(clinicOnA).emitWithAck('room:join', { appointmentId })).toMatchObject({ ok: true });
    expect(await replacedOnB).toMatchObject({ participantId: clinic.user.id, reason: 'replaced' });
    const clinicSeesSpecialist = next(clinicOnA, 'room:participant-joined');
    expect(await request(specialistOnB).emitWithAck('room:join', { appointmentId })).toMatchObject({
      ok: true,
    });
    expect((await clinicSeesSpecialist).participant).toMatchObject({ participantId: specialist.user.id });

    // Everyone leaves: the room is empty on both nodes and off the specialist's list.
    expect(await request(specialistOnB).emitWithAck('room:leave', { appointmentId })).toMatchObject({
      ok: true,
    });
    const cleared = next(specialistOnB, 'waiting:changed', noLongerWaitsIn(appointmentId));
    expect(await request(clinicOnA).emitWithAck('room:leave', { appointmentId })).toEqual({
      ok: true,
      data: { left: true },
    });
    await cleared;
    expect(await request(specialistOnB).emitWithAck('waiting:list')).toMatchObject({ ok: true });
    expect(suite.died).toEqual([]);
  });

  it('takes a stopped node’s people out of the shared rooms, and the other node goes on', async () => {
    const appointmentId = appointments[2]!.id;
    const specialistOnA = await onNodeA(specialist);
    const clinicOnB = await onNodeB(clinic);
    const seenWaiting = next(specialistOnA, 'waiting:changed', waitsIn(appointmentId));
    expect(await request(clinicOnB).emitWithAck('room:join', { appointmentId })).toMatchObject({ ok: true });
    await seenWaiting;

    // Node B shuts down (a deploy): only its own sockets are cut, and their places are given up first.
    const cleared = next(specialistOnA, 'waiting:changed', noLongerWaitsIn(appointmentId));
    const specialistCut = new Promise<boolean>((done) => {
      specialistOnA.once('disconnect', () => done(true));
      setTimeout(() => done(false), 3_000);
    });
    expect(await nodeB?.stop()).toBe(0);
    await cleared;
    expect(clinicOnB.connected).toBe(false);
    expect(await specialistCut).toBe(false);
    expect((await request(specialistOnA).emitWithAck('waiting:list')).ok).toBe(true);

    // The clinic comes back on node A and waits again.
    const clinicOnA = await onNodeA(clinic);
    const waitingAgain = next(specialistOnA, 'waiting:changed', waitsIn(appointmentId));
    expect(await request(clinicOnA).emitWithAck('room:join', { appointmentId })).toMatchObject({
      ok: true,
      data: { participants: [{ participantId: clinic.user.id, status: 'waiting' }] },
    });
    await waitingAgain;
    expect(suite.died).toEqual([]);
  });
  it('keeps a killed node’s participant in its place while its socket comes back through the other node', async () => {
    await startNodeB();
    const appointmentId = appointments[4]!.id;
    const specialistOnA = await onNodeA(specialist);
    const clinicOnB = await onNodeB(clinic);
    const seenWaiting = next(specialistOnA, 'waiting:changed', waitsIn(appointmentId));
    expect(await request(clinicOnB).emitWithAck('room:join', { appointmentId })).toMatchObject({ ok: true });
    const since = (await seenWaiting).waiting.find((w) => w.appointmentId === appointmentId)?.since;

    // Killed; the clinic comes back on node A only after node A's sweep has surely run (a claim node B held
    // when it died lasts one period, then A's next tick comes within another): the sweep found the clinic's
    // socket held by no node, and a rejoin after it must still find its place, as after a dropped socket.
    await nodeB?.stop('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 21_000));
    const clinicOnA = await onNodeA(clinic);
    expect(await request(clinicOnA).emitWithAck('room:join', { appointmentId })).toMatchObject({
      ok: true,
      data: { participants: [{ participantId: clinic.user.id, status: 'waiting', since }] },
    });
    // The sweep's pending removal of the old socket finds it replaced, and leaves the place alone.
    await new Promise((resolve) => setTimeout(resolve, (goneGraceSeconds - 21 + 2) * 1000));
    const list = await request(specialistOnA).emitWithAck('waiting:list');
    expect(
      list.ok &&
        list.data.waiting.filter((w: { appointmentId: string }) => w.appointmentId === appointmentId),
    ).toEqual([expect.objectContaining({ since })]);
    expect(await request(clinicOnA).emitWithAck('room:leave', { appointmentId })).toMatchObject({ ok: true });
    expect(suite.died).toEqual([]);
  }, 120_000);

  it('takes a killed node’s people out of the shared rooms within a sweep and its grace', async () => {
    await startNodeB();
    const appointmentId = appointments[3]!.id;
    const specialistOnA = await onNodeA(specialist);
    const clinicOnB = await onNodeB(clinic);
    const seenWaiting = next(specialistOnA, 'waiting:changed', waitsIn(appointmentId));
    expect(await request(clinicOnB).emitWithAck('room:join', { appointmentId })).toMatchObject({ ok: true });
    await seenWaiting;

    // Killed: node B gives nothing up; node A's sweep (every 10 s) finds nobody holds the clinic's socket, and
    // takes it out once the grace has passed.
    const cleared = next(specialistOnA, 'waiting:changed', noLongerWaitsIn(appointmentId), 80_000);
    await nodeB?.stop('SIGKILL');
    await cleared;
    expect(await request(specialistOnA).emitWithAck('waiting:list')).toMatchObject({ ok: true });
    expect(suite.died).toEqual([]);
  }, 120_000);
});
