import type { Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordsTestServer, startRecordsTestServer } from '../testing/recordsTestServer.js';
import { AuditLog } from './AuditLog.js';

describe('AuditLog', () => {
  let server: RecordsTestServer;
  beforeAll(async () => {
    server = await startRecordsTestServer();
  });
  afterAll(() => server?.stop());

  const request = (id: string) =>
    ({ user: { id, role: 'clinic_doctor' }, ip: '10.0.0.7', socket: {} }) as unknown as Request;

  it('writes events of simultaneous requests in one batch, each caller waiting for the write', async () => {
    let inserts = 0;
    const model = server.models.AuditEvent;
    const counting = {
      collection: {
        insertMany: (...args: Parameters<typeof model.collection.insertMany>) => {
          inserts++;
          return model.collection.insertMany(...args);
        },
      },
    } as unknown as typeof model;
    const log = new AuditLog(counting);
    const actor = '65a1b2c3d4e5f60718293a4b';
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        log.record(request(actor), {
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

  it('fails every caller of a batch the database refused, so no request goes unrecorded silently', async () => {
    const refusing = {
      collection: { insertMany: () => Promise.reject(new Error('disk full')) },
    } as unknown as typeof server.models.AuditEvent;
    const log = new AuditLog(refusing);
    const first = log.record(request('65a1b2c3d4e5f60718293a4b'), {
      action: 'read',
      resourceType: 'x',
      outcome: 'success',
    });
    const second = log.record(request('65a1b2c3d4e5f60718293a4c'), {
      action: 'read',
      resourceType: 'x',
      outcome: 'success',
    });
    await expect(first).rejects.toThrow('disk full');
    await expect(second).rejects.toThrow('disk full');
  });
});
