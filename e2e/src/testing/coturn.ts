import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '@telemed/service-kit';

export const turnserverPath = '/usr/bin/turnserver';

export interface CoturnOptions {
  /** coturn's `static-auth-secret`, the SFU's TURN_SECRET (at least 16 characters). */
  secret?: string;
  realm?: string;
  /** The address coturn listens and relays on; 127.0.0.1 unless the caller's network (a namespace lab) needs another. */
  listenIp?: string;
  /** Relaying to loopback peers: the SFU on 127.0.0.1. On by default, since tests run everything on loopback. */
  allowLoopbackPeers?: boolean;
}

export interface RunningCoturn {
  readonly secret: string;
  readonly realm: string;
  readonly listenIp: string;
  /** Plain TURN, UDP and TCP (3478 in production). */
  readonly port: number;
  /** TURN over TLS, with a self-signed certificate (5349 or 443 in production); plain TCP is accepted here too. */
  readonly tlsPort: number;
  /**
   * base64 SHA-256 of the TLS certificate's public key: what Chromium's `--ignore-certificate-errors-spki-list`
   * takes to trust this one self-signed certificate and no other.
   */
  readonly certificateSpki: string;
  /** `turn:<ip>:<port>?transport=tcp` and friends, ready for TURN_URLS. */
  urls: { udp: string; tcp: string; tls: string };
  /** What coturn logged so far (sessions, allocations, refusals). */
  log(): string;
  /** Allocations coturn logged as made (`ALLOCATE processed, success`): its session and the REST-API username. */
  allocations(): Array<{ session: string; username: string }>;
  stop(): Promise<void>;
}

/** Why coturn cannot be run here, or undefined when it can. */
export function coturnUnavailable(): string | undefined {
  if (!existsSync(turnserverPath)) return `${turnserverPath} is missing (apt-get install coturn)`;
  return undefined;
}

/**
 * Debian's coturn on free loopback ports with the platform's REST-API credentials (`use-auth-secret`): TURN over
 * UDP and TCP on one port, TLS (self-signed) on another, relays on a small free range, no CLI, no PID file, user
 * database or log outside a temporary directory removed by `stop`.
 */
export async function startCoturn(options: CoturnOptions = {}): Promise<RunningCoturn> {
  const unavailable = coturnUnavailable();
  if (unavailable) throw new Error(unavailable);
  const secret = options.secret ?? `coturn-test-secret-${process.pid}-${Date.now()}`;
  const realm = options.realm ?? 'telemed.test';
  const listenIp = options.listenIp ?? '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'telemed-coturn-'));
  const logFile = join(dir, 'turnserver.log');
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      `subjectAltName=IP:${listenIp},DNS:localhost`,
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
  const certificateSpki = spkiSha256(cert);
  // Relay ports: a free block of 40 (coturn takes a range; 40 allocations are plenty for a test).
  const [port, tlsPort, relayBase] = await freePorts(3);
  const minPort = 50_000 + ((relayBase ?? 0) % 10_000);
  const args = [
    '-n', // no configuration file: everything is on this command line
    `--listening-ip=${listenIp}`,
    `--relay-ip=${listenIp}`,
    `--listening-port=${port}`,
    `--tls-listening-port=${tlsPort}`,
    `--min-port=${minPort}`,
    `--max-port=${minPort + 40}`,
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    `--realm=${realm}`,
    '--fingerprint',
    `--cert=${cert}`,
    `--pkey=${key}`,
    '--no-dtls',
    '--no-tlsv1',
    '--no-tlsv1_1',
    '--no-multicast-peers',
    // coturn refuses loopback peers by default (no-loopback-peers); the SFU under test listens on 127.0.0.1.
    ...(options.allowLoopbackPeers === false ? [] : ['--allow-loopback-peers']),
    '--no-cli',
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    `--db=${join(dir, 'turndb')}`,
    `--log-file=${logFile}`,
    '--simple-log',
    '--verbose',
  ];
  const child = spawn(turnserverPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : output);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        clearInterval(poll);
        reject(new Error(`coturn did not start within 20 s:\n${log()}`));
      }, 20_000);
      const poll = setInterval(() => {
        if (/Total General servers/.test(log()) || /turn server id=\d+ created/.test(log())) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve();
        }
      }, 100);
      child.once('exit', (code) => {
        clearInterval(poll);
        clearTimeout(timer);
        reject(new Error(`coturn exited with ${code}:\n${log()}`));
      });
    });
  } catch (error) {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    secret,
    realm,
    listenIp,
    port: port!,
    tlsPort: tlsPort!,
    certificateSpki,
    urls: {
      udp: `turn:${listenIp}:${port}?transport=udp`,
      tcp: `turn:${listenIp}:${port}?transport=tcp`,
      tls: `turns:${listenIp}:${tlsPort}?transport=tcp`,
    },
    log,
    allocations: () =>
      log()
        .split('\n')
        .map((line) =>
          /session (\d+): realm <[^>]*> user <([^>]*)>: incoming packet ALLOCATE processed, success/.exec(
            line,
          ),
        )
        .filter((match) => match !== null)
        .map(([, session, username]) => ({ session: session!, username: username! })),
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** base64(SHA-256(SubjectPublicKeyInfo DER)) of a PEM certificate, with openssl. */
function spkiSha256(certFile: string): string {
  const pubkey = spawnSync('openssl', ['x509', '-in', certFile, '-pubkey', '-noout'], { encoding: 'utf8' });
  const der = spawnSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: pubkey.stdout });
  if (pubkey.status !== 0 || der.status !== 0) throw new Error('openssl could not read the certificate key');
  return createHash('sha256').update(der.stdout).digest('base64');
}
