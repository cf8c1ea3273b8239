import { AppError } from '@telemed/shared';
import type { Connection } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { connectedDb } from './connectedDb.js';

describe('connectedDb', () => {
  it('answers 503 with a code while the connection is not up, rather than failing on undefined', () => {
    const model = {
      db: { db: undefined } as unknown as Connection,
      collection: { collectionName: 'patients' },
    };
    const attempt = () => connectedDb(model);
    expect(attempt).toThrow(AppError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', status: 503 }));
  });

  it('returns the driver database once connected', () => {
    const db = { command: () => {} };
    const model = { db: { db } as unknown as Connection, collection: { collectionName: 'patients' } };
    expect(connectedDb(model)).toBe(db);
  });
});
