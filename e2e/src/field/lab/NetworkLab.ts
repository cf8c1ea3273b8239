import type { LinkProfile } from './LinkProfile.js';
import { LinkShaper, type ShapingFidelity } from './LinkShaper.js';
import { run, runIn, runQuietly } from './run.js';

/**
 * The address every namespace reaches the platform at: a /32 on the root namespace's loopback, so that it stays
 * one address however many labs come and go (the SFU announces exactly one). The root namespace routes it for
 * every veth, being a local address.
 */
export const hubAddress = '10.76.0.1';

const namePrefix = 'tmlab-';
let labsMade = 0;

interface Subnet {
  /** The root namespace's end of the /30. */
  root: string;
  /** The namespace's end. */
  inside: string;
}

/** The /30 numbered `block` in 10.77.0.0/16. */
function subnet(block: number): Subnet {
  const third = (block >> 6) & 0xff;
  const fourth = (block & 63) * 4;
  return { root: `10.77.${third}.${fourth + 1}`, inside: `10.77.${third}.${fourth + 2}` };
}

/**
 * One browser's network: a namespace joined to the root namespace by a veth pair, on a /30 of its own (and a
 * second /30 for the address switch), its default route through the root end. The platform runs in the root
 * namespace and is reached at `hubAddress`. Its link is shaped, its address switched and its UDP blocked while
 * the call runs. `destroy` removes it all; `sweepStaleLabs` removes what a killed run left behind.
 */
export class NetworkLab {
  private current: Subnet;
  private spare: Subnet;
  readonly shaper: LinkShaper;

  private constructor(
    readonly namespace: string,
    readonly rootDevice: string,
    readonly insideDevice: string,
    addresses: [Subnet, Subnet],
  ) {
    [this.current, this.spare] = addresses;
    this.shaper = new LinkShaper(namespace, insideDevice, rootDevice);
  }

  /** The namespace's address now (it changes with `switchAddress`). */
  get address(): string {
    return this.current.inside;
  }

  get fidelity(): ShapingFidelity {
    return this.shaper.fidelity;
  }

  static async create(): Promise<NetworkLab> {
    await sweepStaleLabs();
    await ensureHubAddress();
    const index = ++labsMade;
    const namespace = `${namePrefix}${process.pid}-${index}`;
    const rootDevice = `tml${process.pid}n${index}`.slice(0, 15);
    // Two /30s per lab, numbered from the pid so that parallel runs do not pick the same ones.
    const block = (process.pid * 16 + index * 2) % 16_384;
    const lab = new NetworkLab(namespace, rootDevice, 'eth0', [subnet(block), subnet(block + 1)]);
    try {
      await lab.build();
    } catch (error) {
      await lab.destroy();
      throw error;
    }
    return lab;
  }

  private async build(): Promise<void> {
    await run('ip', ['netns', 'add', this.namespace]);
    await runIn(this.namespace, 'ip', ['link', 'set', 'lo', 'up']);
    await run('ip', [
      'link',
      'add',
      this.rootDevice,
      'type',
      'veth',
      'peer',
      'name',
      this.insideDevice,
      'netns',
      this.namespace,
    ]);
    for (const net of [this.current, this.spare]) {
      await run('ip', ['addr', 'add', `${net.root}/30`, 'dev', this.rootDevice]);
    }
    await run('ip', ['link', 'set', this.rootDevice, 'up']);
    await runIn(this.namespace, 'ip', ['addr', 'add', `${this.current.inside}/30`, 'dev', this.insideDevice]);
    await runIn(this.namespace, 'ip', ['link', 'set', this.insideDevice, 'up']);
    await runIn(this.namespace, 'ip', ['route', 'add', 'default', 'via', this.current.root]);
  }

  shape(profile: LinkProfile): Promise<void> {
    return this.shaper.apply(profile);
  }

  /**
   * The "network change": the namespace gets a new address (from its spare /30, with a new gateway) and loses the
   * old one, as a laptop moving to another network does. Sockets bound to the old address stop working.
   */
  async switchAddress(): Promise<string> {
    const [from, to] = [this.current, this.spare];
    await runIn(this.namespace, 'ip', ['addr', 'add', `${to.inside}/30`, 'dev', this.insideDevice]);
    await runIn(this.namespace, 'ip', ['addr', 'del', `${from.inside}/30`, 'dev', this.insideDevice]);
    await runIn(this.namespace, 'ip', ['route', 'replace', 'default', 'via', to.root]);
    [this.current, this.spare] = [to, from];
    return to.inside;
  }

  /** Only TCP out of the clinic: UDP dropped both ways (loopback aside), as a strict firewall does. */
  async blockUdp(): Promise<void> {
    await runIn(
      this.namespace,
      'nft',
      ['-f', '-'],
      [
        'table inet tmlab_udp {',
        '  chain inbound { type filter hook input priority 0; iifname != "lo" meta l4proto udp drop; }',
        '  chain outbound { type filter hook output priority 0; oifname != "lo" meta l4proto udp drop; }',
        '}',
      ].join('\n'),
    );
  }

  async allowUdp(): Promise<void> {
    await runQuietly('ip', ['netns', 'exec', this.namespace, 'nft', 'delete', 'table', 'inet', 'tmlab_udp']);
  }

  async destroy(): Promise<void> {
    await removeLab(this.namespace, this.rootDevice);
  }
}

/** Puts `hubAddress` on the root namespace's loopback (before the platform starts, which listens on it). */
export async function ensureHubAddress(): Promise<void> {
  const loopback = await run('ip', ['-o', '-4', 'addr', 'show', 'dev', 'lo']);
  if (!loopback.includes(`${hubAddress}/32`)) {
    await run('ip', ['addr', 'add', `${hubAddress}/32`, 'dev', 'lo']).catch((error) => {
      // Another lab added it meanwhile.
      if (!/File exists/.test(String(error))) throw error;
    });
  }
}

async function removeLab(namespace: string, rootDevice: string): Promise<void> {
  // Deleting the root end takes the pair with it at once; deleting the namespace alone leaves it for a while.
  await runQuietly('ip', ['link', 'del', rootDevice]);
  await runQuietly('ip', ['netns', 'del', namespace]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the namespaces (and their veths) of runs that are gone, e.g. killed before their `finally` ran. */
export async function sweepStaleLabs(): Promise<void> {
  const listed = await run('ip', ['netns', 'list']);
  for (const line of listed.split('\n')) {
    const match = /^(tmlab-(\d+)-(\d+))\b/.exec(line.trim());
    if (!match) continue;
    const [, namespace, pid, index] = match as unknown as [string, string, string, string];
    // This process's own labs are its to destroy; another live run's are in use.
    if (Number(pid) === process.pid || alive(Number(pid))) continue;
    await removeLab(namespace, `tml${pid}n${index}`.slice(0, 15));
  }
}
