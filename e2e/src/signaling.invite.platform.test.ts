import type { Appointment, AuditEvent, RoomState, SessionResponse } from '@telemed/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { askUntil } from './testing/askUntil.js';
import { platformForSuite } from './testing/platformForSuite.js';
import { joinedRoom } from './testing/roomSteps.js';
import { nextNotification as next, request, requestByName } from './testing/signalingClient.js';

/**
 * A specialist invited into a running call, through the real signaling server, records and SFU as `npm start`
 * starts them: records decides and audits the invitation, signaling tells the invited live, lets them in with
 * their call role, keeps them from running the call, and takes them out when the invitation is withdrawn.
 * Signaling's own refusals land in records' audit trail, labelled as coming through signaling.
 */
describe('an invited specialist in the call, and signaling’s refusals audited', () => {
  const suite = platformForSuite('invite');
  let clinic: SessionResponse;
  let specialist: SessionResponse;
  let invitee: SessionResponse;
  let appointments: Appointment[];

  beforeAll(async () => {
    [clinic, specialist, invitee] = await Promise.all([
      suite.signIn('clinic_doctor'),
      suite.signIn('specialist', 0),
      suite.signIn('specialist', 1),
    ]);
    appointments = await suite.scheduledAppointments(clinic, specialist, 2);
  });

  /** The room state an ack carries, or the error it answered, as the failure. */
  function stateOf(ack: unknown): RoomState {
    expect(ack).toMatchObject({ ok: true });
    return (ack as { data: RoomState }).data;
  }

  /** Signaling's refusals of `actorId` on `appointmentId`, once `count` are there (they are written after the ack). */
  async function refusedBySignaling(
    actorId: string,
    appointmentId: string,
    count: number,
  ): Promise<AuditEvent[]> {
    const auditor = suite.recordsAs(await suite.signIn('auditor'));
    return askUntil(
      async () => {
        const page = await auditor.call('listAuditEvents', {
          query: { actorId, outcome: 'denied', limit: 100 },
        });
        return page.items.filter(
          (e) => e.resourceIds.includes(appointmentId) && e.reason?.startsWith('signaling refused'),
        );
      },
      (found) => found.length >= count,
    );
  }

  it('invites a second specialist live, lets them in with their role, keeps them from running the call, and withdraws them', async () => {
    const appointmentId = appointments[0]!.id;
    // The directory the specialist app picks from: a colleague of the same specialty is in it.
    const directory = await suite.recordsAs(specialist).call('listSpecialists', {
      query: { specialty: appointments[0]!.specialty },
    });
    expect(directory.items.map((s) => s.id)).toContain(invitee.user.id);

    const clinicSocket = await suite.connect(clinic);
    const specialistSocket = await suite.connect(specialist);
    const inviteeSocket = await suite.connect(invitee);
    const inviteeOtherTab = await suite.connect(invitee);

    // Not invited yet: records refuses the room (the invitee may not even read the appointment).
    expect(await request(inviteeSocket).emitWithAck('room:join', { appointmentId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await joinedRoom({ appointmentId, clinicSocket, specialistSocket, clinicId: clinic.user.id });
    // Opens the consultation record, whose chat the invited will write in.
    expect(
      await request(specialistSocket).emitWithAck('chat:send', { appointmentId, text: 'welcome' }),
    ).toMatchObject({ ok: true });

    // Only the booked specialist invites: the clinic is refused by signaling itself.
    expect(
      await request(clinicSocket).emitWithAck('room:invite', {
        appointmentId,
        specialistId: invitee.user.id,
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const received = [
      next(inviteeSocket, 'invitation:received'),
      next(inviteeOtherTab, 'invitation:received'),
    ];
    const roomSeesInvitation = next(clinicSocket, 'room:state', (s) =>
      (s.invitations ?? []).some((i) => i.specialistId === invitee.user.id),
    );
    const invited = await request(specialistSocket).emitWithAck('room:invite', {
      appointmentId,
      specialistId: invitee.user.id,
    });
    expect(invited).toMatchObject({
      ok: true,
      data: { invitations: [{ specialistId: invitee.user.id, invitedBy: specialist.user.id }] },
    });
    for (const notice of await Promise.all(received)) {
      expect(notice).toMatchObject({
        appointmentId,
        appointment: { id: appointmentId, patient: { name: { latin: expect.any(String) } } },
        invitedBy: { participantId: specialist.user.id, name: specialist.user.name },
      });
    }
    await roomSeesInvitation;

    const clinicSeesInvitee = next(clinicSocket, 'room:participant-joined');
    const joined = await request(inviteeSocket).emitWithAck('room:join', { appointmentId });
    expect(stateOf(joined).participants.map((p) => [p.participantId, p.callRole, p.status])).toEqual([
      [clinic.user.id, 'clinic', 'joined'],
      [specialist.user.id, 'booked-specialist', 'joined'],
      [invitee.user.id, 'invited-specialist', 'joined'],
    ]);
    expect((await clinicSeesInvitee).participant).toMatchObject({
      participantId: invitee.user.id,
      role: 'specialist',
      callRole: 'invited-specialist',
      status: 'joined',
    });

    // In the call like the others: media and chat. Records refuses their clinical writes itself.
    expect(
      await request(inviteeSocket).emitWithAck('media:router-capabilities', { appointmentId }),
    ).toMatchObject({ ok: true, data: { rtpCapabilities: expect.any(Object) } });
    const chatSeenByClinic = next(clinicSocket, 'chat:message', (m) => m.message.text === 'second opinion');
    expect(
      await request(inviteeSocket).emitWithAck('chat:send', { appointmentId, text: 'second opinion' }),
    ).toMatchObject({ ok: true, data: { authorId: invitee.user.id } });
    await chatSeenByClinic;
    expect(
      await request(inviteeSocket).emitWithAck('vitals:record', {
        appointmentId,
        kind: 'heart-rate',
        value: 80,
        unit: '/min',
        takenAt: new Date().toISOString(),
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // Not the host: admitting, ending, inviting and snapshots are refused by signaling, before records.
    const refusedEvents = [
      ['room:admit', { appointmentId, participantId: clinic.user.id }],
      ['room:end', { appointmentId }],
      ['room:invite', { appointmentId, specialistId: clinic.user.id }],
      ['room:withdraw-invitation', { appointmentId, specialistId: invitee.user.id }],
      ['snapshot:request', { appointmentId }],
    ] as const;
    for (const [event, payload] of refusedEvents) {
      expect(await requestByName(inviteeSocket, event, payload), event).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    // A malformed payload is refused too, and not audited: it says nothing about who may do what.
    expect(await requestByName(inviteeSocket, 'room:end', { appointmentId, extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await statusOf(appointmentId)).toBe('in-progress');

    // Withdrawn: out of the room, told why, on every tab; the room goes on without them.
    const inviteeOut = next(
      inviteeSocket,
      'room:participant-left',
      (p) => p.participantId === invitee.user.id,
    );
    const inviteeTold = next(inviteeOtherTab, 'invitation:withdrawn');
    const clinicSeesState = next(clinicSocket, 'room:state', (s) =>
      s.participants.every((p) => p.participantId !== invitee.user.id),
    );
    const withdrawn = await request(specialistSocket).emitWithAck('room:withdraw-invitation', {
      appointmentId,
      specialistId: invitee.user.id,
    });
    expect(stateOf(withdrawn).participants.map((p) => p.participantId)).toEqual([
      clinic.user.id,
      specialist.user.id,
    ]);
    expect(stateOf(withdrawn).invitations).toEqual([]);
    expect(await inviteeOut).toEqual({ appointmentId, participantId: invitee.user.id, reason: 'withdrawn' });
    expect(await inviteeTold).toEqual({
      appointmentId,
      withdrawnBy: { participantId: specialist.user.id, name: specialist.user.name },
    });
    await clinicSeesState;
    expect(
      await request(inviteeSocket).emitWithAck('chat:send', { appointmentId, text: 'still here?' }),
    ).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_JOINED' } });
    expect(await request(inviteeSocket).emitWithAck('room:join', { appointmentId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    // Signaling's own refusals are in records' trail as the refused user's, through signaling; records' own
    // (the vital sign, the join after the withdrawal) are there once, as records wrote them.
    const bySignaling = await refusedBySignaling(invitee.user.id, appointmentId, refusedEvents.length + 1);
    expect(bySignaling.map((e) => e.reason?.split(' ')[2]).sort()).toEqual(
      [...refusedEvents.map(([event]) => event), 'chat:send'].sort(),
    );
    for (const event of bySignaling) {
      expect(event).toMatchObject({ actorRole: 'specialist', outcome: 'denied', via: 'signaling' });
    }
    expect(bySignaling.find((e) => e.reason?.includes('chat:send'))?.reason).toContain('(ROOM_NOT_JOINED)');
    expect(bySignaling.some((e) => e.reason?.includes('VALIDATION_FAILED'))).toBe(false);
    const clinicRefused = await refusedBySignaling(clinic.user.id, appointmentId, 1);
    expect(clinicRefused).toHaveLength(1);
    expect(clinicRefused[0]).toMatchObject({ actorRole: 'clinic_doctor', via: 'signaling' });
    expect(clinicRefused[0]?.reason).toMatch(/^signaling refused room:invite \(FORBIDDEN\): Only/);
    // Records' own refusals (the vital sign, the join after the withdrawal) are written once, by records.
    const auditor = suite.recordsAs(await suite.signIn('auditor'));
    const all = await auditor.call('listAuditEvents', {
      query: { actorId: invitee.user.id, outcome: 'denied', limit: 100 },
    });
    expect(all.items.filter((e) => !e.reason?.startsWith('signaling refused')).length).toBeGreaterThanOrEqual(
      2,
    );

    expect(await request(specialistSocket).emitWithAck('room:end', { appointmentId })).toMatchObject({
      ok: true,
      data: { appointmentStatus: 'completed' },
    });
    expect(suite.died).toEqual([]);
  });

  const statusOf = (appointmentId: string) => suite.statusOf(appointmentId, clinic);
});
