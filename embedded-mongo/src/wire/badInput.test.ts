import net from 'node:net';
import { BSON, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedServer } from '../server/EmbeddedServer.js';
import { crc32c } from './crc32c.js';
import { MsgFlag, OpCode } from './opcodes.js';

let server: EmbeddedServer;
let bystander: MongoClient;

beforeAll(async () => {
  server = await EmbeddedServer.start({ port: 0 });
  bystander = await new MongoClient(server.uri, { maxPoolSize: 1 }).connect();
  await bystander.db('bad').collection('c').insertOne({ before: true });
});

afterAll(async () => {
  await bystander?.close();
  await server?.stop();
});

function header(length: number, requestId: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opMsg(body: Buffer, flags = 0, requestId = 7): Buffer {
  const checksum = (flags & MsgFlag.checksumPresent) !== 0;
  const length = 16 + 4 + 1 + body.length + (checksum ? 4 : 0);
  const flagBuf = Buffer.alloc(4);
  flagBuf.writeUInt32LE(flags, 0);
  const msg = Buffer.concat([header(length, requestId, OpCode.OP_MSG), flagBuf, Buffer.from([0]), body]);
  if (!checksum) return msg;
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE(crc32c(msg), 0);
  return Buffer.concat([msg, sum]);
}

/** Sends bytes; resolves with the decoded reply body, or 'closed' when the server hangs up. */
function exchange(bytes: Buffer | Buffer[], timeoutMs = 3000): Promise<Document | 'closed' | 'timeout'> {
  return new Promise((resolve) => {
    const socket = net.connect(server.port, '127.0.0.1');
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, timeoutMs);
    socket.on('connect', () => {
      for (const part of Array.isArray(bytes) ? bytes : [bytes]) socket.write(part);
    });
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 4 && data.length >= data.readInt32LE(0)) {
        clearTimeout(timer);
        socket.destroy();
        const opCode = data.readInt32LE(12);
        const bodyAt = opCode === OpCode.OP_REPLY ? 16 + 20 : 16 + 5;
        resolve(BSON.deserialize(data.subarray(bodyAt)));
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
    socket.on('error', () => {});
  });
}

interface Replied {
  responseTo: number;
  body: Document;
}

/** Sends bytes in one write; resolves with every reply received, in order, once the server hangs up. */
function repliesUntilClose(
  bytes: Buffer,
  timeoutMs = 5000,
): Promise<{ replies: Replied[]; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(server.port, '127.0.0.1');
    let data = Buffer.alloc(0);
    const replies: Replied[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ replies, closed: false });
    }, timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      while (data.length >= 4 && data.length >= data.readInt32LE(0)) {
        const length = data.readInt32LE(0);
        replies.push({
          responseTo: data.readInt32LE(8),
          body: BSON.deserialize(data.subarray(16 + 5, length)),
        });
        data = data.subarray(length);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ replies, closed: true });
    });
    socket.on('error', () => {});
  });
}

describe('bad input', () => {
  it('answers a well-formed OP_MSG, with and without a checksum', async () => {
    const body = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
    expect(await exchange(opMsg(body))).toMatchObject({ ok: 1 });
    expect(await exchange(opMsg(body, MsgFlag.checksumPresent))).toMatchObject({ ok: 1 });
  });

  it('closes the connection on a wrong checksum, unknown opcode, bad length or unknown required flag', async () => {
    const body = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
    const corrupted = opMsg(body, MsgFlag.checksumPresent);
    corrupted[corrupted.length - 1]! ^= 0xff;
    expect(await exchange(corrupted)).toBe('closed');
    expect(await exchange(Buffer.concat([header(26, 1, 9999), Buffer.alloc(10)]))).toBe('closed');
    expect(await exchange(header(8, 1, OpCode.OP_MSG))).toBe('closed');
    expect(await exchange(header(49_000_000, 1, OpCode.OP_MSG))).toBe('closed');
    expect(await exchange(opMsg(body, 1 << 5))).toBe('closed');
  });

  it('answers the whole requests pipelined before a bad frame, in order, then closes', async () => {
    const ping = (requestId: number) =>
      opMsg(Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' })), 0, requestId);
    const find = (requestId: number) =>
      opMsg(Buffer.from(BSON.serialize({ find: 'c', filter: { before: true }, $db: 'bad' })), 0, requestId);
    const badFrames = {
      'a bad length': header(8, 90, OpCode.OP_MSG),
      'a length over the limit': header(49_000_000, 90, OpCode.OP_MSG),
      'an unknown opcode': Buffer.concat([header(26, 90, 9999), Buffer.alloc(10)]),
    };
    for (const [what, bad] of Object.entries(badFrames)) {
      const { replies, closed } = await repliesUntilClose(Buffer.concat([ping(41), find(42), bad, ping(43)]));
      expect(closed, what).toBe(true);
      expect(
        replies.map((r) => r.responseTo),
        what,
      ).toEqual([41, 42]);
      expect(replies[0]!.body, what).toMatchObject({ ok: 1 });
      expect(replies[1]!.body, what).toMatchObject({ ok: 1, cursor: { firstBatch: [{ before: true }] } });
    }
  });

  it('answers malformed BSON with InvalidBSON instead of crashing', async () => {
    const body = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
    body[4] = 0x99; // an element type that does not exist
    const reply = await exchange(opMsg(body));
    expect(reply).toMatchObject({ ok: 0, code: 22, codeName: 'InvalidBSON' });
  });

  it('closes on a frame whose document overruns the message, and on a truncated frame', async () => {
    const body = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
    body.writeInt32LE(body.length + 100, 0);
    expect(await exchange(opMsg(body))).toBe('closed');
    const whole = opMsg(Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' })));
    // Half a message, then the client goes away: nothing to answer, nothing breaks.
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.end(whole.subarray(0, 10));
    await new Promise((resolve) => socket.on('close', resolve));
  });

  it('answers the legacy OP_QUERY handshake with OP_REPLY', async () => {
    const query = Buffer.from(BSON.serialize({ isMaster: 1 }));
    const name = Buffer.from('admin.$cmd\0');
    const fields = Buffer.alloc(12);
    fields.writeInt32LE(0, 0);
    fields.writeInt32LE(0, 4);
    fields.writeInt32LE(-1, 8);
    const bodyLen = 4 + name.length + 8 + query.length;
    const msg = Buffer.concat([
      header(16 + bodyLen, 3, OpCode.OP_QUERY),
      fields.subarray(0, 4),
      name,
      fields.subarray(4),
      query,
    ]);
    const reply = await exchange(msg);
    expect(reply).toMatchObject({ ismaster: true, maxWireVersion: 21, ok: 1 });
  });

  it('rejects documents over 16 MiB and keeps serving other clients', async () => {
    const big = 'x'.repeat(16 * 1024 * 1024 + 10);
    const body = Buffer.from(BSON.serialize({ insert: 'c', documents: [{ big }], $db: 'bad' }));
    const reply = await exchange(opMsg(body), 10_000);
    if (reply === 'closed' || reply === 'timeout') throw new Error(`expected an error reply, got ${reply}`);
    const error = (reply.writeErrors as Document[] | undefined)?.[0] ?? reply;
    expect(error.code).toBe(2);
    expect(String(error.errmsg)).toMatch(/too large/);
    expect(await bystander.db('bad').collection('c').countDocuments({ before: true })).toBe(1);
    expect(
      await bystander
        .db('bad')
        .collection('c')
        .countDocuments({ big: { $exists: true } }),
    ).toBe(0);
  });

  it('does not reply to moreToCome (w:0) requests but still applies them', async () => {
    const body = Buffer.from(BSON.serialize({ insert: 'c', documents: [{ w0: true }], $db: 'bad' }));
    const ping = opMsg(Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' })), 0, 99);
    const reply = await exchange([opMsg(body, MsgFlag.moreToCome), ping]);
    expect(reply).toMatchObject({ ok: 1 });
    expect(await bystander.db('bad').collection('c').countDocuments({ w0: true })).toBe(1);
  });
});
