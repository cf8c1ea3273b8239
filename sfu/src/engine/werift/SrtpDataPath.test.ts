import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ProtectionProfileAeadAes128Gcm,
  ProtectionProfileAes128CmHmacSha1_80,
  type RTCDtlsTransport,
  RtpHeader,
  RtpPacket,
  SrtcpSession,
  SrtpSession,
} from 'werift';
import { SrtpDataPath } from './SrtpDataPath.js';

interface Keys {
  localMasterKey: Buffer;
  localMasterSalt: Buffer;
  remoteMasterKey: Buffer;
  remoteMasterSalt: Buffer;
}

/**
 * A stand-in for werift's RTCDtlsTransport after the handshake: the fields SrtpDataPath reads, the
 * socket it sends on (captured) and the ICE data event it subscribes to.
 */
function fakeDtls(profile: number, keys: Keys) {
  const sent: Buffer[] = [];
  let deliver: (data: Buffer) => void = () => undefined;
  const dtls = {
    srtpStarted: false,
    bytesReceived: 0,
    packetsReceived: 0,
    bytesSent: 0,
    packetsSent: 0,
    onRtcp: { execute: () => undefined },
    srtp: undefined as unknown,
    srtcp: undefined as unknown,
    updateSrtpSession(this: { srtp: unknown; srtcp: unknown }) {
      this.srtp = new SrtpSession({ keys, profile: profile as never });
      this.srtcp = new SrtcpSession({ keys, profile: profile as never });
    },
    startSrtp(): void {},
    iceTransport: {
      connection: {
        onData: { subscribe: (listener: (data: Buffer) => void) => (deliver = listener) },
        nominated: {
          remoteAddr: ['127.0.0.1', 9] as [string, number],
          protocol: { transport: { socket: { send: (b: Buffer) => sent.push(b) } } },
          packetsSent: 0,
          bytesSent: 0,
        },
        canSendApplicationData: () => true,
        send: async () => undefined,
      },
    },
  };
  return { dtls, sent, receive: (data: Buffer) => deliver(data) };
}

/** werift's own session with the keys the other way round: the far end of the fake transport. */
function farEnd(profile: number, keys: Keys): SrtpSession {
  return new SrtpSession({
    keys: {
      localMasterKey: keys.remoteMasterKey,
      localMasterSalt: keys.remoteMasterSalt,
      remoteMasterKey: keys.localMasterKey,
      remoteMasterSalt: keys.localMasterSalt,
    },
    profile: profile as never,
  });
}

const profiles = [
  { name: 'AEAD_AES_128_GCM', profile: ProtectionProfileAeadAes128Gcm, saltLength: 12 },
  { name: 'AES_CM_128_HMAC_SHA1_80', profile: ProtectionProfileAes128CmHmacSha1_80, saltLength: 14 },
];

describe.each(profiles)('SrtpDataPath with $name', ({ profile, saltLength }) => {
  const keys: Keys = {
    localMasterKey: randomBytes(16),
    localMasterSalt: randomBytes(saltLength),
    remoteMasterKey: randomBytes(16),
    remoteMasterSalt: randomBytes(saltLength),
  };

  function setUp() {
    const fake = fakeDtls(profile, keys);
    const path = new SrtpDataPath(fake.dtls as unknown as RTCDtlsTransport);
    (fake.dtls as unknown as { startSrtp(): void }).startSrtp();
    return { ...fake, path, far: farEnd(profile, keys) };
  }

  it('sends packets werift decrypts, across a sequence number wrap (rollover counter)', () => {
    const { path, sent, far } = setUp();
    expect(path.ready).toBe(true);
    const payload = randomBytes(900);
    for (const seq of [65533, 65534, 65535, 0, 1, 2]) {
      const header = new RtpHeader({
        payloadType: 96,
        sequenceNumber: seq,
        timestamp: 1234,
        ssrc: 0x11223344,
        marker: seq === 2,
        extensionProfile: 0xbede,
        extensions: [{ id: 1, payload: Buffer.from('3') }],
      });
      path.sendRtp(header.serialize(header.serializeSize), payload);
    }
    expect(sent).toHaveLength(6);
    for (const [i, packet] of sent.entries()) {
      const plain = RtpPacket.deSerialize(far.decrypt(packet));
      expect(plain.header.sequenceNumber).toBe([65533, 65534, 65535, 0, 1, 2][i]);
      expect(plain.payload.equals(payload)).toBe(true);
      expect(plain.header.extensions[0]?.payload.toString()).toBe('3');
    }
  });

  it('decrypts what werift encrypts, across a wrap with a late packet from before it, and drops tampered packets', () => {
    const { path, receive, far } = setUp();
    const got: { seq: number; payload: Buffer }[] = [];
    path.onRtp((header, payload) => got.push({ seq: header.readUInt16BE(2), payload }));
    const payload = randomBytes(300);
    // 65535 arrives after 0: it still belongs to the rollover period before the wrap.
    const seqs = [65534, 0, 65535, 1];
    for (const seq of seqs) {
      const header = new RtpHeader({
        payloadType: 111,
        sequenceNumber: seq,
        timestamp: 99,
        ssrc: 0x55667788,
      });
      receive(far.encrypt(payload, header));
    }
    expect(got.map((g) => g.seq)).toEqual(seqs);
    for (const g of got) expect(g.payload.equals(payload)).toBe(true);
    const header = new RtpHeader({ payloadType: 111, sequenceNumber: 2, timestamp: 99, ssrc: 0x55667788 });
    const tampered = Buffer.from(far.encrypt(payload, header));
    tampered[20] = (tampered[20] as number) ^ 0xff;
    receive(tampered);
    expect(got).toHaveLength(seqs.length);
    expect(path.dropped).toBe(1);
  });
});
