import { AppError, type AppointmentStatus, type Role } from '@telemed/shared';
import { describe, expect, it } from 'vitest';
import { assertTransition } from './statusTransitions.js';

const statuses: AppointmentStatus[] = [
  'scheduled',
  'waiting',
  'in-progress',
  'completed',
  'cancelled',
  'no-show',
];
const roles: Role[] = ['clinic_doctor', 'specialist', 'administrator', 'auditor'];

/**
 * Every change of status allowed, written out by hand as the lifecycle reads: the clinic says the patient
 * waits or cancels, the specialist starts and completes, anyone of the visit says nobody came.
 */
const allowed = new Set([
  'clinic_doctor: scheduled → waiting',
  'administrator: scheduled → waiting',
  'clinic_doctor: scheduled → cancelled',
  'administrator: scheduled → cancelled',
  'clinic_doctor: scheduled → no-show',
  'administrator: scheduled → no-show',
  'specialist: scheduled → no-show',
  'specialist: waiting → in-progress',
  'clinic_doctor: waiting → cancelled',
  'administrator: waiting → cancelled',
  'clinic_doctor: waiting → no-show',
  'administrator: waiting → no-show',
  'specialist: waiting → no-show',
  'specialist: in-progress → completed',
]);

function outcome(role: Role, from: AppointmentStatus, to: AppointmentStatus): string {
  try {
    assertTransition(role, from, to);
    return 'allowed';
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe('appointment status transitions', () => {
  it('allows exactly the table, for every role, from every status to every status', () => {
    for (const role of roles) {
      for (const from of statuses) {
        for (const to of statuses) {
          const cell = `${role}: ${from} → ${to}`;
          expect(outcome(role, from, to) === 'allowed', cell).toBe(allowed.has(cell));
        }
      }
    }
  });

  it('refuses a role that may never set a status as FORBIDDEN, and a step the lifecycle lacks as UNPROCESSABLE', () => {
    expect(outcome('auditor', 'scheduled', 'waiting')).toBe('FORBIDDEN');
    expect(outcome('clinic_doctor', 'waiting', 'in-progress')).toBe('FORBIDDEN');
    expect(outcome('specialist', 'scheduled', 'completed')).toBe('UNPROCESSABLE');
    expect(outcome('specialist', 'completed', 'in-progress')).toBe('UNPROCESSABLE');
    expect(outcome('clinic_doctor', 'cancelled', 'waiting')).toBe('UNPROCESSABLE');
    // Nobody moves an appointment back to scheduled.
    for (const role of roles) expect(outcome(role, 'waiting', 'scheduled')).toBe('FORBIDDEN');
  });
});
