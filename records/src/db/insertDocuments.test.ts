import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordsTestServer, startRecordsTestServer } from '../testing/recordsTestServer.js';
import { insertDocuments } from './insertDocuments.js';

describe('insertDocuments', () => {
  let server: RecordsTestServer;
  beforeAll(async () => {
    server = await startRecordsTestServer();
  });
  afterAll(() => server?.stop());

  it('inserts the documents in order, giving an _id to those without one', async () => {
    const model = server.models.AuditEvent;
    const actorId = new Types.ObjectId();
    const documents: Record<string, unknown>[] = [1, 2, 3].map((i) => ({
      at: new Date(),
      action: 'read',
      actorId,
      reason: `r${i}`,
    }));
    await insertDocuments(model, documents, { w: 1 });
    const stored = await model.find({ actorId }).sort({ _id: 1 }).lean();
    expect(stored.map((doc) => doc.reason)).toEqual(['r1', 'r2', 'r3']);
    expect(stored.map((doc) => doc._id.toHexString())).toEqual(documents.map((doc) => String(doc._id)));
  });

  it('throws with the database error code when a document is refused, keeping those before it', async () => {
    const model = server.models.AuditEvent;
    const actorId = new Types.ObjectId();
    const _id = new Types.ObjectId();
    const refused = insertDocuments(model, [
      { _id, actorId, reason: 'first' },
      { _id, actorId, reason: 'same id' },
      { actorId, reason: 'after' },
    ]);
    await expect(refused).rejects.toMatchObject({ code: 11000 });
    await expect(refused).rejects.toThrow(/insert into auditevents failed/);
    // Ordered: the insert stops at the refused document.
    const stored = await model.find({ actorId }).lean();
    expect(stored.map((doc) => doc.reason)).toEqual(['first']);
  });
});
