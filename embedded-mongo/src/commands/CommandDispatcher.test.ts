import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedServer } from '../server/EmbeddedServer.js';
import { INTERNAL_ERROR_MESSAGE } from './CommandDispatcher.js';

let server: EmbeddedServer;
let client: MongoClient;
const logLines: string[] = [];

beforeAll(async () => {
  server = await EmbeddedServer.start({ port: 0, log: (line) => logLines.push(line) });
  client = await new MongoClient(server.uri).connect();
  await client
    .db('faults')
    .collection('c')
    .insertOne({ a: [1, 2], s: 'x' });
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

/** JavaScript's own wording, which must never reach a client. */
const JAVASCRIPT_MESSAGE =
  /is not iterable|Cannot read properties|is not a function|undefined|TypeError|RangeError/;

describe('errors of this server itself', () => {
  it('answer InternalError with a plain message, the JavaScript error going to the log only', async () => {
    const coll = client.db('faults').collection('c');
    // Requests that made mingo throw a TypeError, which used to be answered as BadValue with its message.
    // Should one of them gain a proper validation, it answers a MongoDB error instead, which passes too.
    const requests = [
      () => coll.find({ a: { $in: 5 } } as never).toArray(),
      () => coll.aggregate([{ $unwind: 5 }] as never).toArray(),
      () => coll.aggregate([{ $bucket: {} }]).toArray(),
    ];
    let internal = 0;
    for (const request of requests) {
      logLines.length = 0;
      const error = await request().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MongoServerError);
      const { code, message } = error as MongoServerError;
      expect(message).not.toMatch(JAVASCRIPT_MESSAGE);
      if (code !== 1) continue;
      internal++;
      expect((error as MongoServerError).codeName).toBe('InternalError');
      expect(message).toBe(INTERNAL_ERROR_MESSAGE);
      expect(logLines.join('\n')).toMatch(/command (find|aggregate) failed: TypeError/);
    }
    expect(internal).toBeGreaterThan(0);
    // The connection and the server carry on.
    expect(await coll.countDocuments({ s: 'x' })).toBe(1);
  });
});
