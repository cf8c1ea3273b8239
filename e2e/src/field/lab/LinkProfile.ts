/** A link as the lab emulates it, the same each way (a rural clinic's uplink and downlink). */
export interface LinkProfile {
  readonly name: string;
  /** Bits per second each way; undefined: not limited. */
  readonly rateKbps?: number;
  /** Round-trip time added: half of it each way. */
  readonly rttMs?: number;
  /** Random loss each way, 0..1. */
  readonly loss?: number;
}

export const cleanLink: LinkProfile = { name: 'clean' };

/** The profiles of issue 22's table. */
export const linkProfiles = {
  clean: cleanLink,
  mbit1: { name: '1 Mbps/100 ms/1%', rateKbps: 1000, rttMs: 100, loss: 0.01 },
  kbit384: { name: '384 kbps/300 ms/5%', rateKbps: 384, rttMs: 300, loss: 0.05 },
  kbit150: { name: '150 kbps/300 ms/10%', rateKbps: 150, rttMs: 300, loss: 0.1 },
} satisfies Record<string, LinkProfile>;

export function describeProfile(profile: LinkProfile): string {
  const parts = [
    profile.rateKbps === undefined ? 'unlimited' : `${profile.rateKbps} kbit/s`,
    `${profile.rttMs ?? 0} ms RTT`,
    `${((profile.loss ?? 0) * 100).toFixed(0)}% loss`,
  ];
  return parts.join(', ');
}
