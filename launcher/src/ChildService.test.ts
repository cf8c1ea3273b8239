import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '@telemed/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { ChildService } from './ChildService.js';

const healthyServer = `
const http = require('node:http');
console.log(JSON.stringify({ level: 30, msg: 'info line' }));
console.log(JSON.stringify({ level: 40, msg: 'warn line' }));
const server = http.createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end());
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

describe('ChildService', () => {
  const services: ChildService[] = [];
  afterEach(async () => {
    for (const service of services.splice(0)) await service.stop();
  });

  function make(script: string, port: number, echoed: string[]) {
    const dir = mkdtempSync(join(tmpdir(), 'telemed-child-'));
    const service = new ChildService({
      name: 'demo',
      command: process.execPath,
      args: ['-e', script],
      cwd: dir,
      env: { ...process.env, PORT: String(port) },
      logFile: join(dir, 'demo.log'),
      healthUrl: `http://127.0.0.1:${port}/healthz`,
      echo: (line) => echoed.push(line),
    });
    services.push(service);
    return { service, logFile: join(dir, 'demo.log') };
  }

  it('waits until healthy, logs everything to its file and echoes only warnings', async () => {
    const echoed: string[] = [];
    const [port = 0] = await freePorts(1);
    const { service, logFile } = make(healthyServer, port, echoed);
    let died = false;
    service.start(() => {
      died = true;
    });
    await service.waitHealthy(10_000);
    await service.stop();
    expect(died).toBe(false);
    expect(echoed).toEqual([expect.stringContaining('[demo] {"level":40')]);
    expect(readFileSync(logFile, 'utf8')).toContain('info line');
  });

  it('reports a process that dies during start-up, with its last lines', async () => {
    const [port = 0] = await freePorts(1);
    const { service } = make('console.error("boom: bad config"); process.exit(3);', port, []);
    const exit = new Promise<number | null>((resolve) => service.start(resolve));
    await expect(service.waitHealthy(10_000)).rejects.toThrow('demo exited during start-up');
    expect(await exit).toBe(3);
    expect(service.recentOutput).toContain('boom: bad config');
  });
});
