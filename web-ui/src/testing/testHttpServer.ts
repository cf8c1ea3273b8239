/** The little of node:http used here: web-ui is compiled with the browser's types only, not Node's. */
export interface TestRequest extends AsyncIterable<Uint8Array> {
  method?: string;
  url?: string;
  headers: Record<string, string | undefined>;
}
export interface TestResponse {
  writeHead(status: number, headers: Record<string, string>): void;
  end(body?: string): void;
}
interface Server {
  listen(port: number, host: string, done: () => void): void;
  address(): { port: number };
  close(done: () => void): void;
  closeAllConnections(): void;
}

export interface TestHttpServer {
  baseUrl: string;
  stop(): Promise<void>;
}

/** Answers JSON (or nothing, when there is no body) with the status given. */
export function sendJson(res: TestResponse, status: number, body?: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/**
 * A real HTTP server on a free port of 127.0.0.1 that answers with `handle`; a handler that throws answers 500
 * with the error, so a test sees it rather than a hung request.
 */
export async function startTestHttpServer(
  handle: (req: TestRequest, res: TestResponse) => void | Promise<void>,
): Promise<TestHttpServer> {
  // Imported by name at run time so the browser build never sees node:http.
  const nodeHttp = 'node:http';
  const { createServer } = (await import(/* @vite-ignore */ nodeHttp)) as {
    createServer(handler: (req: TestRequest, res: TestResponse) => void): Server;
  };
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => handle(req, res))
      .catch((error: unknown) => sendJson(res, 500, { error: { code: 'INTERNAL', message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
