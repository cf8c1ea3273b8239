import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordsTestServer, startRecordsTestServer } from '../testing/recordsTestServer.js';
import { DatabaseLock, type LockDocument } from './DatabaseLock.js';

describe('DatabaseLock', () => {
  let server: RecordsTestServer;
  beforeAll(async () => {
    server = await startRecordsTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  const locks = () => server.connection.collection<LockDocument>('testlocks');

  it('never lets two processes hold one key at once', async () => {
    // Two locks on one collection stand for two records processes.
    const processes = [new DatabaseLock(locks()), new DatabaseLock(locks())];
    let holders = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        processes[i % 2]!.run('specialist-1', async () => {
          most = Math.max(most, ++holders);
          await sleep(5);
          order.push(i);
          holders--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toHaveLength(10);
    expect(await locks().countDocuments({ _id: 'specialist-1' })).toBe(0);
  });

  it('lets different keys run side by side', async () => {
    const lock = new DatabaseLock(locks());
    let holders = 0;
    let most = 0;
    await Promise.all(
      ['a', 'b', 'c'].map((key) =>
        lock.run(key, async () => {
          most = Math.max(most, ++holders);
          await sleep(20);
          holders--;
        }),
      ),
    );
    expect(most).toBe(3);
  });

  it('takes over a lock whose holder died once its lease has run out', async () => {
    await locks().insertOne({
      _id: 'abandoned',
      owner: 'a process that crashed',
      until: new Date(Date.now() - 1),
    });
    const lock = new DatabaseLock(locks());
    expect(await lock.run('abandoned', async () => 'booked')).toBe('booked');
  });

  it('gives up with SERVICE_UNAVAILABLE while another holder keeps the key', async () => {
    await locks().insertOne({ _id: 'busy', owner: 'another process', until: new Date(Date.now() + 60_000) });
    const lock = new DatabaseLock(locks(), { leaseMs: 10_000, waitMs: 200 });
    let ran = false;
    await expect(
      lock.run('busy', async () => {
        ran = true;
      }),
    ).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(ran).toBe(false);
  });

  it('releases the key when the task fails', async () => {
    const lock = new DatabaseLock(locks());
    await expect(
      lock.run('failing', async () => {
        throw new Error('no slot');
      }),
    ).rejects.toThrow('no slot');
    expect(await locks().countDocuments({ _id: 'failing' })).toBe(0);
  });
});
