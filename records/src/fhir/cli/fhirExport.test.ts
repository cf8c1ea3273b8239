import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtures, signIn } from '../../testing/fixtures.js';
import type { RecordsTestServer } from '../../testing/recordsTestServer.js';
import { startBulkTestServer } from '../testing/startBulkTestServer.js';
import { registerSystemClient, type TestSystemClient } from '../testing/systemClientTesting.js';

/** The built CLI, as `npm run fhir:export` runs it (`npm test` builds before it tests). */
const cli = fileURLToPath(new URL('../../../dist/fhir/cli/fhirExport.js', import.meta.url));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function runCli(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

describe('the fhir:export CLI, as a process against a real records server', () => {
  let server: RecordsTestServer;
  let client: TestSystemClient;
  let dir: string;
  let pemFile: string;
  let jwkFile: string;

  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: build first (npx tsc -b)`);
    // Slow enough for a Ctrl-C mid-export: 600 resources, 10 ms apart.
    server = await startBulkTestServer({ slow: { count: 600, delayMs: 10 } });
    await createFixtures(server.models);
    const admin = await signIn(server, 'admin');
    client = await registerSystemClient(server, admin, ['system/*.read']);
    dir = await mkdtemp(join(tmpdir(), 'fhir-export-'));
    pemFile = join(dir, 'client.pem');
    await writeFile(pemFile, await exportPKCS8(client.privateKey), { mode: 0o600 });
    jwkFile = join(dir, 'client.jwk.json');
    await writeFile(jwkFile, JSON.stringify({ ...(await exportJWK(client.privateKey)), alg: 'ES384' }));
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exports every file to DIR with progress and a summary, and exits 0', async () => {
    const out = join(dir, 'out');
    const run = runCli(['--out', out, '--type', 'Organization,Patient,Basic', '--url', server.baseUrl], {
      FHIR_CLIENT_ID: client.id,
      FHIR_CLIENT_KEY: pemFile,
    });
    expect(await run.exit, run.stderr()).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['Basic.ndjson', 'Organization.ndjson', 'Patient.ndjson']);
    const expected = {
      Organization: await server.models.Organization.countDocuments(),
      Patient: await server.models.Patient.countDocuments(),
      Basic: 600,
    };
    for (const [type, count] of Object.entries(expected)) {
      const text = await readFile(join(out, `${type}.ndjson`), 'utf8');
      const lines = text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines, type).toHaveLength(count);
      expect(new Set(lines.map((l) => l.resourceType))).toEqual(new Set([type]));
      // The summary's row of this type: its count and the bytes of its file.
      expect(run.stdout()).toMatch(new RegExp(`^${type} +${count} +${Buffer.byteLength(text)} `, 'm'));
    }
    // Not a terminal: progress as plain lines, from the server's X-Progress.
    expect(run.stdout()).toMatch(/^progress: \d+\/\d+ resources \(\d+%\)$/m);
    expect(run.stdout()).toMatch(/^total +\d+ +\d+$/m);
  }, 120_000);

  it('a key that is not the registered one: the token endpoint refusal, exit 1', async () => {
    const { privateKey } = await generateKeyPair('ES384', { extractable: true });
    const foreign = join(dir, 'foreign.pem');
    await writeFile(foreign, await exportPKCS8(privateKey));
    const run = runCli([
      '--out',
      join(dir, 'refused'),
      '--url',
      server.baseUrl,
      '--client-id',
      client.id,
      '--key',
      foreign,
    ]);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(/refused \(invalid_client\): The client_assertion was refused/);
    expect(existsSync(join(dir, 'refused', 'Patient.ndjson'))).toBe(false);
  }, 60_000);

  it("a refused kick-off prints the OperationOutcome's text as it came, exit 1", async () => {
    const run = runCli(
      ['--out', join(dir, 'bad'), '--since', 'yesterday', '--url', server.baseUrl, '--key', jwkFile],
      { FHIR_CLIENT_ID: client.id },
    );
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toContain('HTTP 400');
    expect(run.stderr()).toContain('_since "yesterday" is not a FHIR instant');
    // The other language, as the server sent it in `diagnostics`.
    expect(run.stderr()).toMatch(/[\u0600-\u06FF]/);
  }, 60_000);

  it('bad usage exits 2 and says what is missing', async () => {
    const run = runCli(['--type', 'Patient']);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toMatch(/Missing --out, --url .*--client-id .*--key/);
  }, 30_000);

  it('Ctrl-C cancels the job on the server and exits 130', async () => {
    const run = runCli(['--out', join(dir, 'cancelled'), '--type', 'Basic', '--url', server.baseUrl], {
      FHIR_CLIENT_ID: client.id,
      FHIR_CLIENT_KEY: jwkFile,
    });
    for (let i = 0; i < 300 && !run.stdout().includes('export started'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const jobId = run.stdout().match(/\/fhir\/bulk\/([0-9a-f]{24})/)?.[1];
    expect(jobId, run.stdout() + run.stderr()).toBeDefined();
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.stdout()).toMatch(/cancelled/);
    const job = await server.models.BulkExportJob.findById(jobId).lean();
    expect(job?.status).toBe('cancelled');
  }, 60_000);
});
