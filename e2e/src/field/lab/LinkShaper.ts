import type { LinkProfile } from './LinkProfile.js';
import { run, runIn, runQuietly } from './run.js';

/** How faithfully the kernel here emulates a profile: without `sch_netem`, rate and loss only, no added delay. */
export interface ShapingFidelity {
  readonly delay: boolean;
}

/**
 * Shapes a namespace's veth pair each way: egress inside the namespace (the clinic's uplink) and egress of the
 * root-side end (its downlink). With netem, one `netem rate/delay/loss` qdisc per end. Kernels built without
 * netem (this lab's VM is one) get `tbf` for the rate and an nft `numgen random` drop for the loss, and no delay:
 * `fidelity` says so, and the bench prints it beside each row.
 */
export class LinkShaper {
  private netem: boolean | undefined;

  constructor(
    private readonly namespace: string,
    private readonly insideDevice: string,
    private readonly rootDevice: string,
  ) {}

  get fidelity(): ShapingFidelity {
    return { delay: this.netem !== false };
  }

  async apply(profile: LinkProfile): Promise<void> {
    await this.clear();
    const shaped =
      profile.rateKbps !== undefined || profile.rttMs !== undefined || profile.loss !== undefined;
    if (!shaped) return;
    if (this.netem !== false) {
      try {
        await this.applyNetem(profile);
        this.netem = true;
        return;
      } catch (error) {
        if (!/qdisc kind is unknown|Unknown qdisc/i.test(String(error))) throw error;
        this.netem = false;
      }
    }
    await this.applyTbfAndDrops(profile);
  }

  /** Removes every shaping: the link is as fast as the veth. */
  async clear(): Promise<void> {
    await runQuietly('ip', [
      'netns',
      'exec',
      this.namespace,
      'tc',
      'qdisc',
      'del',
      'dev',
      this.insideDevice,
      'root',
    ]);
    await runQuietly('tc', ['qdisc', 'del', 'dev', this.rootDevice, 'root']);
    await runQuietly('ip', ['netns', 'exec', this.namespace, 'nft', 'delete', 'table', 'inet', 'tmlab_loss']);
  }

  private async applyNetem(profile: LinkProfile): Promise<void> {
    const args = ['netem', 'limit', '10000'];
    if (profile.rttMs) args.push('delay', `${Math.round(profile.rttMs / 2)}ms`);
    if (profile.loss) args.push('loss', `${(profile.loss * 100).toFixed(2)}%`);
    if (profile.rateKbps) args.push('rate', `${profile.rateKbps}kbit`);
    await runIn(this.namespace, 'tc', ['qdisc', 'replace', 'dev', this.insideDevice, 'root', ...args]);
    await run('tc', ['qdisc', 'replace', 'dev', this.rootDevice, 'root', ...args]);
  }

  private async applyTbfAndDrops(profile: LinkProfile): Promise<void> {
    if (profile.rateKbps) {
      // A burst of a few packets and a queue of about half a second, as a slow DSL or 3G uplink buffers.
      const burstBytes = Math.max(3_000, Math.round((profile.rateKbps * 1000) / 8 / 50));
      const tbf = ['tbf', 'rate', `${profile.rateKbps}kbit`, 'burst', String(burstBytes), 'latency', '500ms'];
      await runIn(this.namespace, 'tc', ['qdisc', 'replace', 'dev', this.insideDevice, 'root', ...tbf]);
      await run('tc', ['qdisc', 'replace', 'dev', this.rootDevice, 'root', ...tbf]);
    }
    if (profile.loss) {
      const perTenThousand = Math.round(profile.loss * 10_000);
      const drop = `iifname != "lo" numgen random mod 10000 < ${perTenThousand} drop`;
      const dropOut = `oifname != "lo" numgen random mod 10000 < ${perTenThousand} drop`;
      await runIn(
        this.namespace,
        'nft',
        ['-f', '-'],
        [
          'table inet tmlab_loss {',
          `  chain inbound { type filter hook input priority 0; ${drop}; }`,
          `  chain outbound { type filter hook output priority 0; ${dropOut}; }`,
          '}',
        ].join('\n'),
      );
    }
  }
}
