import { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServer } from './createAppServer.js';

describe('createAppServer', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('creates each request and response with the app prototypes, so Express need not re-parent them', async () => {
    const app = express();
    app.get('/echo/:word', (req, res) => {
      res.status(201).json({ word: req.params.word, accept: req.get('accept'), query: req.query });
    });
    const server = createAppServer(app);
    const arrived: Array<{ request: unknown; response: unknown; nodeTypes: boolean }> = [];
    // Runs before the app does: the objects as Node's server made them.
    server.prependListener('request', (req, res) => {
      arrived.push({
        request: Object.getPrototypeOf(req),
        response: Object.getPrototypeOf(res),
        nodeTypes: req instanceof IncomingMessage && res instanceof ServerResponse,
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    const { port } = server.address() as AddressInfo;

    const answer = await fetch(`http://127.0.0.1:${port}/echo/salam?x=1`, {
      headers: { accept: 'application/json' },
    });
    expect(answer.status).toBe(201);
    expect(await answer.json()).toEqual({ word: 'salam', accept: 'application/json', query: { x: '1' } });
    expect(arrived).toEqual([{ request: app.request, response: app.response, nodeTypes: true }]);
  });
});
