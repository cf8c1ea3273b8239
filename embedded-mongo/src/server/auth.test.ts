import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Binary, type Document, MongoClient } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serverError } from '../testing/serverError.js';
import { EmbeddedServer } from './EmbeddedServer.js';

const ROOT = { username: 'root-user', password: 'correct horse battery staple' };

function withCredentials(uri: string, username: string, password: string, query = ''): string {
  const url = new URL(uri);
  url.username = encodeURIComponent(username);
  url.password = encodeURIComponent(password);
  url.search = query;
  return url.toString();
}

/**
 * The client side of SCRAM-SHA-256 written from RFC 5802/7677, sent as plain commands over one connection: the
 * exchange without the driver's speculative first step, and with or without the empty last step.
 */
async function scramByHand(
  client: MongoClient,
  username: string,
  password: string,
  skipEmptyExchange: boolean,
): Promise<Document[]> {
  const admin = client.db('admin');
  const clientNonce = randomBytes(24).toString('base64');
  const clientFirstBare = `n=${username},r=${clientNonce}`;
  const start = await admin.command({
    saslStart: 1,
    mechanism: 'SCRAM-SHA-256',
    payload: new Binary(Buffer.from(`n,,${clientFirstBare}`)),
    options: { skipEmptyExchange },
  });
  const serverFirst = Buffer.from(start.payload.buffer).toString('utf8');
  const fields = Object.fromEntries(serverFirst.split(',').map((p) => [p[0], p.slice(2)]));
  expect(fields.r?.startsWith(clientNonce)).toBe(true);
  expect(Number(fields.i)).toBeGreaterThanOrEqual(15_000);
  const salted = pbkdf2Sync(password, Buffer.from(fields.s!, 'base64'), Number(fields.i), 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const withoutProof = `c=biws,r=${fields.r}`;
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const signature = createHmac('sha256', storedKey).update(authMessage).digest();
  const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]!)).toString('base64');
  const final = await admin.command({
    saslContinue: 1,
    conversationId: start.conversationId,
    payload: new Binary(Buffer.from(`${withoutProof},p=${proof}`)),
  });
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  const expected = createHmac('sha256', serverKey).update(authMessage).digest('base64');
  expect(Buffer.from(final.payload.buffer).toString('utf8')).toBe(`v=${expected}`);
  const replies = [start, final];
  if (!final.done) {
    replies.push(
      await admin.command({
        saslContinue: 1,
        conversationId: start.conversationId,
        payload: new Binary(Buffer.alloc(0)),
      }),
    );
  }
  return replies;
}

describe('SCRAM-SHA-256 authentication', () => {
  let server: EmbeddedServer;
  const clients: MongoClient[] = [];
  const connect = async (uri: string) => {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
    clients.push(client);
    return client.connect();
  };

  beforeAll(async () => {
    server = await EmbeddedServer.start({ port: 0, auth: ROOT });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server?.stop();
  });

  it('lets the official driver in with the right password (speculative auth in hello)', async () => {
    const client = await connect(withCredentials(server.uri, ROOT.username, ROOT.password));
    const coll = client.db('telemed').collection('patients');
    await coll.insertOne({ name: 'Amal' });
    expect(await coll.findOne({}, { projection: { _id: 0 } })).toEqual({ name: 'Amal' });
    const status = await client.db('admin').command({ connectionStatus: 1 });
    expect(status.authInfo.authenticatedUsers).toEqual([{ user: ROOT.username, db: 'admin' }]);
  });

  it('offers SCRAM-SHA-256 in hello and answers a speculative saslStart there', async () => {
    const client = await connect(withCredentials(server.uri, ROOT.username, ROOT.password));
    const hello = await client.db('admin').command({
      hello: 1,
      saslSupportedMechs: `admin.${ROOT.username}`,
      speculativeAuthenticate: {
        saslStart: 1,
        mechanism: 'SCRAM-SHA-256',
        payload: new Binary(Buffer.from('n,,n=root-user,r=abcdefghijklmnop')),
        db: 'admin',
      },
    });
    expect(hello.saslSupportedMechs).toEqual(['SCRAM-SHA-256']);
    expect(hello.speculativeAuthenticate).toMatchObject({ conversationId: expect.any(Number), done: false });
    const unknown = await client.db('admin').command({ hello: 1, saslSupportedMechs: 'admin.nobody' });
    expect(unknown.saslSupportedMechs).toBeUndefined();
  });

  it.each([true, false])(
    'completes the exchange without speculative auth (skipEmptyExchange: %s), then serves the connection',
    async (skipEmptyExchange) => {
      // One pooled connection: the commands after the exchange run on the connection it authenticated.
      const client = await connect(`${server.uri}?maxPoolSize=1`);
      const replies = await scramByHand(client, ROOT.username, ROOT.password, skipEmptyExchange);
      expect(replies.at(-1)).toMatchObject({ done: true, ok: 1 });
      expect(replies).toHaveLength(skipEmptyExchange ? 2 : 3);
      expect(await client.db('telemed').collection('patients').countDocuments()).toBeGreaterThan(0);
    },
  );

  it('refuses a wrong password, an unknown user and a forged proof with code 18 AuthenticationFailed', async () => {
    for (const uri of [
      withCredentials(server.uri, ROOT.username, 'wrong password'),
      withCredentials(server.uri, 'nobody', ROOT.password),
      withCredentials(server.uri, ROOT.username, ROOT.password, '?authSource=telemed'),
    ]) {
      const error = await serverError(connect(uri));
      expect(error.code).toBe(18);
      expect(error.codeName).toBe('AuthenticationFailed');
      expect(error.message).toBe('Authentication failed.');
    }
    const client = await connect(`${server.uri}?maxPoolSize=1`);
    const forged = await serverError(scramByHand(client, ROOT.username, 'not the password', true));
    expect(forged.code).toBe(18);
    expect((await serverError(client.db('telemed').collection('patients').findOne())).code).toBe(13);
  });

  it('refuses every command but the handshake on an unauthenticated connection with code 13', async () => {
    const client = await connect(server.uri);
    const find = await serverError(client.db('telemed').collection('patients').findOne());
    expect(find).toMatchObject({ code: 13, codeName: 'Unauthorized' });
    expect(find.message).toBe('command find requires authentication');
    const insert = await serverError(client.db('telemed').collection('patients').insertOne({ a: 1 }));
    expect(insert).toMatchObject({ code: 13, message: 'command insert requires authentication' });
    const list = await serverError(client.db('admin').admin().listDatabases());
    expect(list).toMatchObject({ code: 13, message: 'command listDatabases requires authentication' });
    for (const command of [{ createUser: 'intruder', pwd: 'x', roles: ['root'] }, { usersInfo: 1 }]) {
      expect((await serverError(client.db('admin').command(command))).code).toBe(13);
    }
    // What mongod answers without authentication.
    expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    expect((await client.db('admin').command({ buildInfo: 1 })).version).toBe('7.0.0');
    expect((await client.db('admin').command({ hello: 1 })).isWritablePrimary).toBe(true);
  });

  it('keeps admin.system.users out of reach of ordinary commands, even for root', async () => {
    const client = await connect(withCredentials(server.uri, ROOT.username, ROOT.password));
    const admin = client.db('admin');
    expect((await serverError(admin.collection('system.users').findOne())).code).toBe(13);
    expect((await serverError(admin.collection('system.users').insertOne({ _id: 'x' as never }))).code).toBe(
      13,
    );
    const lookup = client
      .db('telemed')
      .collection('patients')
      .aggregate([{ $lookup: { from: 'system.users', pipeline: [], as: 'u' } }]);
    expect((await serverError(lookup.toArray())).code).toBe(13);
    const info = await admin.command({ usersInfo: ROOT.username });
    expect(info.users).toEqual([
      expect.objectContaining({ user: ROOT.username, db: 'admin', mechanisms: ['SCRAM-SHA-256'] }),
    ]);
    expect(info.users[0].credentials).toBeUndefined();
  });

  it('authorizes a user for the databases its roles name, and nothing more', async () => {
    const root = await connect(withCredentials(server.uri, ROOT.username, ROOT.password));
    await root.db('telemed').command({ createUser: 'clinic', pwd: 'clinic-pass', roles: ['readWrite'] });
    await root.db('admin').command({
      createUser: 'auditor',
      pwd: 'auditor-pass',
      roles: [{ role: 'read', db: 'telemed' }],
    });
    await root.db('other').collection('x').insertOne({ secret: true });

    const clinic = await connect(withCredentials(server.uri, 'clinic', 'clinic-pass', '?authSource=telemed'));
    await clinic.db('telemed').collection('notes').insertOne({ ok: true });
    expect((await serverError(clinic.db('other').collection('x').findOne())).code).toBe(13);
    const denied = await serverError(
      clinic.db('telemed').command({ createUser: 'more', pwd: 'p', roles: ['readWrite'] }),
    );
    expect(denied).toMatchObject({ code: 13, codeName: 'Unauthorized' });
    expect(denied.message).toContain('not authorized on telemed to execute command');
    const names = (await clinic.db('admin').admin().listDatabases({ nameOnly: true })).databases.map(
      (d) => d.name,
    );
    expect(names).toEqual(['telemed']);

    const auditor = await connect(withCredentials(server.uri, 'auditor', 'auditor-pass'));
    expect(await auditor.db('telemed').collection('notes').countDocuments()).toBe(1);
    expect((await serverError(auditor.db('telemed').collection('notes').insertOne({}))).code).toBe(13);

    // Dropping a user takes its rights away from the connections it already holds.
    await root.db('telemed').command({ dropUser: 'clinic' });
    expect((await serverError(clinic.db('telemed').collection('notes').findOne())).code).toBe(13);
  });

  it('checks createUser: known roles only, SCRAM-SHA-256 only, no duplicate, SASLprep of the password', async () => {
    const root = await connect(withCredentials(server.uri, ROOT.username, ROOT.password));
    const admin = root.db('admin');
    expect((await serverError(admin.command({ createUser: 'a', pwd: 'p', roles: ['godMode'] }))).code).toBe(
      31,
    );
    expect(
      (
        await serverError(
          admin.command({ createUser: 'a', pwd: 'p', roles: [], mechanisms: ['SCRAM-SHA-1'] }),
        )
      ).code,
    ).toBe(2);
    expect((await serverError(admin.command({ createUser: 'a', roles: [] }))).code).toBe(2);
    expect((await serverError(admin.command({ createUser: ROOT.username, pwd: 'p', roles: [] }))).code).toBe(
      51003,
    );
    // RFC 4013: the soft hyphen maps to nothing, so "I\u00ADX" and "IX" are one password.
    await admin.command({ createUser: 'prepped', pwd: 'I\u00ADX', roles: ['readAnyDatabase'] });
    const prepped = await connect(withCredentials(server.uri, 'prepped', 'IX'));
    expect(await prepped.db('telemed').collection('patients').countDocuments()).toBeGreaterThan(0);
  });
});

describe('authentication across restarts and without --auth', () => {
  const dirs: string[] = [];
  const servers: EmbeddedServer[] = [];
  const clients: MongoClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = async (options: Parameters<typeof EmbeddedServer.start>[0]) => {
    const server = await EmbeddedServer.start({ port: 0, ...options });
    servers.push(server);
    return server;
  };
  const connect = async (uri: string) => {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
    clients.push(client);
    return client.connect();
  };

  it('keeps users across a restart, as salted keys only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-auth-'));
    dirs.push(dir);
    const first = await start({ dbpath: dir, auth: ROOT });
    const root = await connect(withCredentials(first.uri, ROOT.username, ROOT.password));
    await root
      .db('telemed')
      .command({ createUser: 'records', pwd: 'records-secret-pw', roles: ['readWrite'] });
    await root.close();
    await first.stop();
    servers.splice(0);

    // Restarted with auth but no root credentials: the users on disk are the ones that count.
    const second = await start({ dbpath: dir, auth: true });
    const records = await connect(
      withCredentials(second.uri, 'records', 'records-secret-pw', '?authSource=telemed'),
    );
    await records.db('telemed').collection('notes').insertOne({ ok: 1 });
    const stored = second.users.list();
    expect(stored.map((u) => u._id).sort()).toEqual(['admin.root-user', 'telemed.records']);
    for (const user of stored) {
      const keys = user.credentials['SCRAM-SHA-256'];
      expect(Object.keys(keys).sort()).toEqual(['iterationCount', 'salt', 'serverKey', 'storedKey']);
      expect(keys.iterationCount).toBeGreaterThanOrEqual(15_000);
    }
    await records.close();
    await second.stop();
    servers.splice(0);
    // Nothing on disk holds a password, in any form a reader could spot.
    for (const file of fs.readdirSync(dir, { recursive: true }) as string[]) {
      const full = path.join(dir, file);
      if (!fs.statSync(full).isFile()) continue;
      const bytes = fs.readFileSync(full);
      for (const secret of [ROOT.password, 'records-secret-pw'])
        expect(bytes.includes(Buffer.from(secret)), `${file} holds a password`).toBe(false);
    }
  });

  it('creates the root user in a store that has data but no user, and sets its password when it changes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-auth-'));
    dirs.push(dir);
    const open = await start({ dbpath: dir });
    const anyone = await connect(open.uri);
    await anyone.db('telemed').collection('patients').insertOne({ name: 'from before auth' });
    await anyone.close();
    await open.stop();
    servers.splice(0);

    await expect(start({ dbpath: dir, auth: true })).rejects.toThrow(/no user/);
    const secured = await start({ dbpath: dir, auth: ROOT });
    const root = await connect(withCredentials(secured.uri, ROOT.username, ROOT.password));
    expect(await root.db('telemed').collection('patients').countDocuments()).toBe(1);
    await root.close();
    await secured.stop();
    servers.splice(0);

    const rotated = await start({ dbpath: dir, auth: { ...ROOT, password: 'a new password' } });
    expect(
      (await serverError(connect(withCredentials(rotated.uri, ROOT.username, ROOT.password)))).code,
    ).toBe(18);
    await connect(withCredentials(rotated.uri, ROOT.username, 'a new password'));
  });

  it("makes the services' users current at start, with exactly their roles, across restarts", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-auth-'));
    dirs.push(dir);
    const service = { username: 'svc', password: 'service password one', db: 'admin' };
    const readWrite = [{ role: 'readWrite', db: 'telemed' }];
    const first = await start({ dbpath: dir, auth: ROOT, users: [{ ...service, roles: readWrite }] });
    const client = await connect(withCredentials(first.uri, service.username, service.password));
    await client.db('telemed').collection('patients').insertOne({ name: 'a patient' });
    expect(await client.db('telemed').collection('patients').countDocuments()).toBe(1);
    for (const refused of [
      client.db('other').collection('x').findOne(),
      client.db('admin').command({ createUser: 'intruder', pwd: 'x'.repeat(20), roles: ['root'] }),
      client.db('admin').admin().command({ usersInfo: 1 }),
    ]) {
      expect((await serverError(refused)).code).toBe(13);
    }
    await client.close();
    await first.stop();
    servers.splice(0);

    // Restarted with another password and a read-only role: both take effect, nothing else changes.
    const second = await start({
      dbpath: dir,
      auth: ROOT,
      users: [{ ...service, password: 'service password two', roles: [{ role: 'read', db: 'telemed' }] }],
    });
    expect(
      (await serverError(connect(withCredentials(second.uri, service.username, service.password)))).code,
    ).toBe(18);
    const reader = await connect(withCredentials(second.uri, service.username, 'service password two'));
    expect(await reader.db('telemed').collection('patients').countDocuments()).toBe(1);
    expect((await serverError(reader.db('telemed').collection('patients').insertOne({}))).code).toBe(13);
    await reader.close();

    await expect(start({ users: [{ ...service, roles: readWrite }] })).rejects.toThrow(
      /authentication is off/,
    );
    await expect(
      start({ auth: ROOT, users: [{ ...service, roles: [{ role: 'godMode', db: 'telemed' }] }] }),
    ).rejects.toThrow(/unknown role godMode/);
  });

  it('serves every client as before when started without auth', async () => {
    const server = await start({});
    const client = await connect(server.uri);
    await client.db('telemed').collection('patients').insertOne({ a: 1 });
    expect(await client.db('telemed').collection('patients').countDocuments()).toBe(1);
    expect((await client.db('admin').admin().listDatabases()).databases.length).toBeGreaterThan(0);
  });
});
