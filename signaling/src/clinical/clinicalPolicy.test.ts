import { AppError } from '@telemed/shared';
import { describe, expect, it } from 'vitest';
import type { RoomActor, StoredRoom } from '../rooms/ConsultationRoomTypes.js';
import * as transitions from '../rooms/roomTransitions.js';
import { callRoleOf } from '../testing/callRoleOf.js';
import { assertMayRequestSnapshot, assertMaySend, clinicSocketIds } from './clinicalPolicy.js';
import { vitalOf } from './LiveClinicalData.js';

const appointmentId = '65a1b2c3d4e5f60718293a01';
const specialistId = '65a1b2c3d4e5f60718293a02';
const clinicDoctorId = '65a1b2c3d4e5f60718293a03';
const organizationId = '65a1b2c3d4e5f60718293a04';
const t0 = new Date('2026-12-07T08:00:00.000Z');

function actor(role: 'clinic_doctor' | 'specialist', socketId: string): RoomActor {
  const id = role === 'specialist' ? specialistId : clinicDoctorId;
  return { user: { id, role, organizationId, name: { ar: role, latin: role } }, socketId, token: 'token' };
}
const clinic = actor('clinic_doctor', 'clinic-socket');
const specialist = actor('specialist', 'specialist-socket');
const emptyRoom: StoredRoom = { appointmentId, specialistId, appointmentStatus: 'waiting', participants: [] };

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return undefined;
}

function waitingRoom(): StoredRoom {
  return transitions.join(
    transitions.join(emptyRoom, clinic, t0, callRoleOf(clinic)).room,
    specialist,
    t0,
    callRoleOf(specialist),
  ).room;
}

function admittedRoom(): StoredRoom {
  return transitions.admit(waitingRoom(), specialist, clinicDoctorId, t0).room;
}

describe('who may send live clinical data', () => {
  it('refuses a clinic doctor still waiting, with PARTICIPANT_NOT_ADMITTED', () => {
    expect(codeOf(() => assertMaySend(waitingRoom(), clinic))).toBe('PARTICIPANT_NOT_ADMITTED');
    expect(codeOf(() => assertMaySend(waitingRoom(), specialist))).toBeUndefined();
  });

  it('takes both parties once admitted', () => {
    expect(codeOf(() => assertMaySend(admittedRoom(), clinic))).toBeUndefined();
    expect(codeOf(() => assertMaySend(admittedRoom(), specialist))).toBeUndefined();
  });

  it('refuses anyone not in the room through this very socket (no room, another socket, another user)', () => {
    expect(codeOf(() => assertMaySend(undefined, clinic))).toBe('ROOM_NOT_JOINED');
    expect(codeOf(() => assertMaySend(admittedRoom(), actor('clinic_doctor', 'an-older-socket')))).toBe(
      'ROOM_NOT_JOINED',
    );
    const stranger: RoomActor = { ...clinic, user: { ...clinic.user, id: '65a1b2c3d4e5f60718293a09' } };
    expect(codeOf(() => assertMaySend(admittedRoom(), stranger))).toBe('ROOM_NOT_JOINED');
  });

  it('lets only the joined specialist ask for a snapshot', () => {
    expect(codeOf(() => assertMayRequestSnapshot(admittedRoom(), clinic))).toBe('FORBIDDEN');
    expect(codeOf(() => assertMayRequestSnapshot(admittedRoom(), specialist))).toBeUndefined();
    expect(codeOf(() => assertMayRequestSnapshot(undefined, specialist))).toBe('ROOM_NOT_JOINED');
    const invited: RoomActor = {
      ...specialist,
      user: { ...specialist.user, id: organizationId },
      socketId: 'inv',
    };
    const withInvited = transitions.join(admittedRoom(), invited, t0, 'invited-specialist').room;
    expect(codeOf(() => assertMayRequestSnapshot(withInvited, invited))).toBe('FORBIDDEN');
    expect(codeOf(() => assertMaySend(withInvited, invited))).toBeUndefined();
  });

  it('sends a snapshot request to the admitted clinic doctors’ sockets only', () => {
    expect(clinicSocketIds(waitingRoom())).toEqual([]);
    expect(clinicSocketIds(admittedRoom())).toEqual(['clinic-socket']);
  });
});

describe('the vital sign of a vitals:record payload', () => {
  it('is the payload without its room, as records takes it', () => {
    const takenAt = '2026-12-07T08:00:00.000Z';
    expect(vitalOf({ appointmentId, kind: 'spo2', value: 97, unit: '%', takenAt })).toEqual({
      kind: 'spo2',
      value: 97,
      unit: '%',
      takenAt,
    });
  });
});
