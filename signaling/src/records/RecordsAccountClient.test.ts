import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Server } from 'node:net';
import { freePorts } from '@telemed/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordsAccountClient } from './RecordsAccountClient.js';

/**
 * What signaling makes of a records service it cannot trust to answer: never "active". The answers of the real
 * records service (an active account, ACCOUNT_INACTIVE) are checked in e2e/src/signaling.platform.test.ts.
 */
describe('RecordsAccountClient when records cannot say', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  async function listening(server: Server): Promise<string> {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('answers SERVICE_UNAVAILABLE when nothing listens', async () => {
    const [port] = await freePorts(1);
    const client = new RecordsAccountClient(`http://127.0.0.1:${port}`);
    await expect(client.currentAccount('a.b.c')).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringMatching(/could not be reached/),
    });
  });

  it('answers SERVICE_UNAVAILABLE when records accepts the connection and never answers', async () => {
    const silent = createTcpServer(() => {});
    const client = new RecordsAccountClient(await listening(silent), { timeoutMs: 300 });
    await expect(client.currentAccount('a.b.c')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('answers SERVICE_UNAVAILABLE for a failing or unexpected answer, and passes on an auth refusal', async () => {
    const answers: [number, string][] = [
      [502, '<html>bad gateway</html>'],
      [200, '{"id":"x"}'],
      [403, '{"error":{"code":"FORBIDDEN","message":"no"}}'],
      [403, '{"error":{"code":"ACCOUNT_INACTIVE","message":"inactive"}}'],
    ];
    const proxy = createHttpServer((_req, res) => {
      const [status, body] = answers.shift() ?? [500, ''];
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
    const client = new RecordsAccountClient(await listening(proxy));
    for (const code of [
      'SERVICE_UNAVAILABLE',
      'SERVICE_UNAVAILABLE',
      'SERVICE_UNAVAILABLE',
      'ACCOUNT_INACTIVE',
    ]) {
      await expect(client.currentAccount('a.b.c')).rejects.toMatchObject({ code });
    }
  });
});
