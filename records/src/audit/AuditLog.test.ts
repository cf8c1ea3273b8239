import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordsTestServer, startRecordsTestServer } from '../testing/recordsTestServer.js';
import { AuditLog } from './AuditLog.js';

type AuditModel = RecordsTestServer['models']['AuditEvent'];
type InsertCommand = { documents: Array<{ action: unknown }>; writeConcern?: unknown };

/** The audit model, with each insert command it sends passed through `intercept` on its way to the database. */
function interceptInserts(
  model: AuditModel,
  intercept: (command: InsertCommand, send: () => Promise<unknown>) => Promise<unknown>,
): AuditModel {
  const db = model.db.db!;
  return {
    collection: model.collection,
    db: { db: { command: (command: InsertCommand) => intercept(command, () => db.command(command)) } },
  } as unknown as AuditModel;
}

describe('AuditLog', () => {
  let server: RecordsTestServer;
  beforeAll(async () => {
    server = await startRecordsTestServer();
  });
  afterAll(() => server?.stop());

  const clinicDoctor = (id: string) => ({ id, role: 'clinic_doctor', ip: '10.0.0.7', via: 'http' }) as const;

  it('writes events of simultaneous requests in one batch, each caller waiting for the write', async () => {
    let inserts = 0;
    const model = server.models.AuditEvent;
    const log = new AuditLog(
      interceptInserts(model, (_command, send) => {
        inserts++;
        return send();
      }),
    );
    const actor = '65a1b2c3d4e5f60718293a4b';
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        log.record(clinicDoctor(actor), {
          action: 'read',
          resourceType: 'patient',
          resourceId: String(i),
          outcome: 'success',
        }),
      ),
    );
    const events = await server.models.AuditEvent.find({ actorId: actor }).lean();
    expect(events).toHaveLength(25);
    expect(inserts).toBe(1);
    expect(events[0]).toMatchObject({ actorRole: 'clinic_doctor', ip: '10.0.0.7', outcome: 'success' });
  });

  it('records the door a change came through, for an actor with no request behind it', async () => {
    const log = new AuditLog(server.models.AuditEvent);
    const actor = '65a1b2c3d4e5f60718293a4f';
    await log.record(
      { id: actor, role: 'specialist', via: 'signaling' },
      { action: 'update', resourceType: 'appointment', resourceId: 'a1', outcome: 'success' },
    );
    const events = await server.models.AuditEvent.find({ actorId: actor }).lean();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorRole: 'specialist', via: 'signaling', resourceIds: ['a1'] });
    expect(events[0]?.ip).toBeUndefined();
  });

  it('gathers the events that arrive while an insert is under way into the next one, and sends it when that ends', async () => {
    const model = server.models.AuditEvent;
    const sizes: number[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const log = new AuditLog(
      interceptInserts(model, async (command, send) => {
        sizes.push(command.documents.length);
        // The first insert is slow: it waits until the test lets it go.
        if (sizes.length === 1) await held;
        return send();
      }),
    );
    const actor = '65a1b2c3d4e5f60718293a4e';
    const entry = (reason: string) => ({
      action: 'read' as const,
      resourceType: 'patient',
      outcome: 'success' as const,
      reason,
    });
    const first = log.record(clinicDoctor(actor), entry('first'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sizes).toEqual([1]);
    const later = [1, 2, 3].map((i) => log.record(clinicDoctor(actor), entry(`later ${i}`)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Nothing more is sent while the first insert is under way…
    expect(sizes).toEqual([1]);
    release();
    await Promise.all([first, ...later]);
    // …then the three later events go in one insert.
    expect(sizes).toEqual([1, 3]);
    expect(await model.countDocuments({ actorId: actor })).toBe(4);
  });

  it('fails every caller of a batch the database refused, so no request goes unrecorded silently', async () => {
    const log = new AuditLog(
      interceptInserts(server.models.AuditEvent, () => Promise.reject(new Error('disk full'))),
    );
    const first = log.record(clinicDoctor('65a1b2c3d4e5f60718293a4b'), {
      action: 'read',
      resourceType: 'x',
      outcome: 'success',
    });
    const second = log.record(clinicDoctor('65a1b2c3d4e5f60718293a4c'), {
      action: 'read',
      resourceType: 'x',
      outcome: 'success',
    });
    await expect(first).rejects.toThrow('disk full');
    await expect(second).rejects.toThrow('disk full');
  });

  it('journals events of changes before answering, and lets events of reads follow within the commit interval', async () => {
    const model = server.models.AuditEvent;
    const calls: Array<{ actions: unknown[]; writeConcern: unknown }> = [];
    const log = new AuditLog(
      interceptInserts(model, (command, send) => {
        calls.push({
          actions: command.documents.map((doc) => doc.action),
          writeConcern: command.writeConcern,
        });
        return send();
      }),
    );
    const actor = '65a1b2c3d4e5f60718293a4d';
    await Promise.all([
      log.record(clinicDoctor(actor), { action: 'read', resourceType: 'patient', outcome: 'success' }),
      log.record(clinicDoctor(actor), { action: 'update', resourceType: 'patient', outcome: 'success' }),
      log.record(clinicDoctor(actor), { action: 'read', resourceType: 'consultation', outcome: 'denied' }),
    ]);
    expect(calls).toHaveLength(2);
    const reads = calls.find((call) => call.actions.every((action) => action === 'read'))!;
    const changes = calls.find((call) => call.actions.includes('update'))!;
    expect(reads.actions).toHaveLength(2);
    expect(reads.writeConcern).toEqual({ w: 1 });
    expect(changes.writeConcern).toBeUndefined();
    expect(await model.countDocuments({ actorId: actor })).toBe(3);
  });
});
