import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePorts } from '@telemed/service-kit';
import { hubAddress } from './NetworkLab.js';

/**
 * Debian's coturn on a free port of the hub address, as the README's set-up has it: TURN over TCP (and UDP),
 * short-lived credentials from a shared secret (`use-auth-secret`), relaying to the SFU on the hub address.
 * `platformEnv` is what the platform needs to mint credentials for it.
 */
export class CoturnServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly secret: string,
  ) {}

  static async start(): Promise<CoturnServer> {
    const [port = 3478] = await freePorts(1);
    const secret = randomBytes(24).toString('hex');
    const child = spawn(
      '/usr/bin/turnserver',
      [
        '-n',
        '--listening-ip',
        hubAddress,
        '--relay-ip',
        hubAddress,
        '--listening-port',
        String(port),
        '--min-port',
        '49152',
        '--max-port',
        '49999',
        '--use-auth-secret',
        '--static-auth-secret',
        secret,
        '--realm',
        'telemed.lab',
        '--no-tls',
        '--no-dtls',
        '--no-cli',
        '--fingerprint',
        '--log-file',
        'stdout',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('coturn did not start listening within 10 s')), 10_000);
      child.once('exit', (code) => reject(new Error(`coturn exited with ${code}`)));
      child.stdout?.on('data', (chunk: Buffer) => {
        if (/listener opened|Total General servers/i.test(chunk.toString())) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.stderr?.resume();
    try {
      await ready;
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return new CoturnServer(child, port, secret);
  }

  get platformEnv(): Record<string, string> {
    return { TURN_URLS: `turn:${hubAddress}:${this.port}?transport=tcp`, TURN_SECRET: this.secret };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
