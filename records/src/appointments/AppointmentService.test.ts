import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordsServices } from '../RecordsServices.js';
import { errorCodeOf } from '../testing/errorCodeOf.js';
import { cardiologyBooking, createFixtures, type Fixtures, tomorrowAt } from '../testing/fixtures.js';
import { type RecordsTestServer, startRecordsTestServer } from '../testing/recordsTestServer.js';
import { serviceCaller } from '../testing/serviceCallers.js';
import type { AppointmentService } from './AppointmentService.js';

/** The scheduling rules run without HTTP, as signaling and workers call them, on the real store. */
describe('AppointmentService', () => {
  let server: RecordsTestServer;
  let f: Fixtures;
  let service: AppointmentService;

  beforeAll(async () => {
    server = await startRecordsTestServer();
    f = await createFixtures(server.models);
    service = createRecordsServices(server).appointments;
  });
  afterAll(() => server?.stop());

  const codeOf = errorCodeOf;

  async function book(hour: number) {
    const input = cardiologyBooking(f, { start: tomorrowAt(hour), end: tomorrowAt(hour, 30) });
    return service.book(serviceCaller(f.doctorA), input as never);
  }

  it('walks scheduled → waiting → in-progress → completed, each step by its role and audited with its door', async () => {
    const booked = await book(9);
    expect(booked.status).toBe('scheduled');
    const waiting = await service.changeStatus(serviceCaller(f.doctorA), booked.id, { status: 'waiting' });
    const started = await service.changeStatus(serviceCaller(f.cardiologist), booked.id, {
      status: 'in-progress',
    });
    const done = await service.changeStatus(serviceCaller(f.cardiologist), booked.id, {
      status: 'completed',
    });
    expect([waiting.status, started.status, done.status]).toEqual(['waiting', 'in-progress', 'completed']);
    expect(started.specialistJoinedAt).toBeDefined();
    expect(done.completedAt).toBeDefined();
    expect(done.statusHistory.map((s) => s.status)).toEqual([
      'scheduled',
      'waiting',
      'in-progress',
      'completed',
    ]);
    const events = await server.models.AuditEvent.find({ resourceIds: booked.id, action: 'update' })
      .sort({ at: 1 })
      .lean();
    expect(events.map((e) => [e.reason, e.via, e.actorRole])).toEqual([
      ['scheduled → waiting', 'signaling', 'clinic_doctor'],
      ['waiting → in-progress', 'signaling', 'specialist'],
      ['in-progress → completed', 'signaling', 'specialist'],
    ]);
  });

  it('refuses a step out of order or by the wrong role, and leaves the appointment as it was', async () => {
    const booked = await book(12);
    expect(
      await codeOf(service.changeStatus(serviceCaller(f.cardiologist), booked.id, { status: 'completed' })),
    ).toBe('UNPROCESSABLE');
    expect(
      await codeOf(service.changeStatus(serviceCaller(f.doctorA), booked.id, { status: 'in-progress' })),
    ).toBe('FORBIDDEN');
    // Another clinic's doctor does not see it at all.
    expect(
      await codeOf(service.changeStatus(serviceCaller(f.doctorB), booked.id, { status: 'cancelled' })),
    ).toBe('FORBIDDEN');
    expect(
      await codeOf(service.changeStatus(serviceCaller(f.doctorA), 'not-an-id', { status: 'waiting' })),
    ).toBe('NOT_FOUND');
    const stored = await server.models.Appointment.findById(booked.id).lean();
    expect(stored?.status).toBe('scheduled');
    expect(stored?.statusHistory).toHaveLength(1);
    // Each refusal is audited by the service itself, with the door it came through: no HTTP handler stood by.
    const denied = await server.models.AuditEvent.find({ resourceIds: booked.id, outcome: 'denied' }).lean();
    expect(denied.map((e) => [e.actorId?.toHexString(), e.via]).sort()).toEqual(
      [
        [f.doctorA.id, 'signaling'],
        [f.doctorB.id, 'signaling'],
      ].sort(),
    );
  });

  it('lets one of two simultaneous changes from the same status win', async () => {
    const booked = await book(14);
    const outcomes = await Promise.all([
      codeOf(service.changeStatus(serviceCaller(f.doctorA), booked.id, { status: 'waiting' })),
      codeOf(service.changeStatus(serviceCaller(f.doctorA), booked.id, { status: 'cancelled' })),
    ]);
    expect(outcomes.filter((o) => o === 'resolved')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'resolved')[0]).toMatch(/STALE_WRITE|UNPROCESSABLE/);
  });

  it('books a slot once: the second of two simultaneous bookings of it is a CONFLICT', async () => {
    const outcomes = await Promise.all([codeOf(book(16)), codeOf(book(16))]);
    expect(outcomes.sort()).toEqual(['CONFLICT', 'resolved']);
  });

  it('queues an urgent request until one specialist of its specialty picks it', async () => {
    const request = await service.requestUrgent(serviceCaller(f.doctorA), {
      patientId: f.patientA.id,
      specialty: 'cardiology',
      reason: 'chest pain',
    });
    expect(request).toMatchObject({ status: 'waiting', kind: 'on-demand', priority: 'urgent' });
    const queue = await service.urgentQueue(serviceCaller(f.cardiologist2));
    expect(queue.map((a) => a.id)).toContain(request.id);
    expect(await codeOf(service.pick(serviceCaller(f.dermatologist), request.id))).toBe('FORBIDDEN');
    const picked = await service.pick(serviceCaller(f.cardiologist2), request.id);
    expect(picked.specialistId).toBe(f.cardiologist2.id);
    expect(await codeOf(service.pick(serviceCaller(f.cardiologist), request.id))).toBe('CONFLICT');
    expect((await service.urgentQueue(serviceCaller(f.cardiologist))).map((a) => a.id)).not.toContain(
      request.id,
    );
    expect(
      await codeOf(
        service.requestUrgent(serviceCaller(f.cardiologist), {
          patientId: f.patientA.id,
          specialty: 'cardiology',
          reason: 'x',
        }),
      ),
    ).toBe('FORBIDDEN');
  });
});
