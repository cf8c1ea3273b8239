import type { DtlsParameters, IceCandidate, IceParameters } from '@telemed/shared';
import {
  ProtectionProfileAeadAes128Gcm,
  ProtectionProfileAes128CmHmacSha1_80,
  RTCDtlsFingerprint,
  RTCDtlsParameters,
  RTCDtlsTransport,
  RTCIceGatherer,
  RTCIceParameters,
  RTCIceTransport,
  type RtcpPacket,
  type RtpHeader,
  RtpPacket,
  IceCandidate as WeriftIceCandidate,
} from 'werift';
import { SrtpDataPath } from '../engine/werift/SrtpDataPath.js';

export interface RemoteTransportParameters {
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
}

/**
 * A WebRTC endpoint for tests and the benchmark: full ICE (controlling) against the SFU's ICE-lite
 * agent, DTLS client, SRTP — the same wire protocol a browser speaks, without SDP.
 */
export class RtcTestPeer {
  readonly #gatherer: RTCIceGatherer;
  readonly #ice: RTCIceTransport;
  readonly #dtls: RTCDtlsTransport;
  readonly #srtp: SrtpDataPath;
  readonly #rawListeners: ((header: Buffer, payload: Buffer) => void)[] = [];
  readonly #listeners: ((packet: RtpPacket) => void)[] = [];
  #closed = false;

  private constructor(gatherer: RTCIceGatherer, ice: RTCIceTransport, dtls: RTCDtlsTransport) {
    this.#gatherer = gatherer;
    this.#ice = ice;
    this.#dtls = dtls;
    // The SFU's own SRTP data path, so the benchmark's clients cost no more per packet than the engine.
    this.#srtp = new SrtpDataPath(dtls);
    this.#srtp.onRtp((header, payload) => {
      for (const listener of this.#rawListeners) listener(header, payload);
      if (this.#listeners.length === 0) return;
      let packet: RtpPacket;
      try {
        packet = RtpPacket.deSerialize(Buffer.concat([header, payload]));
      } catch {
        return;
      }
      for (const listener of this.#listeners) listener(packet);
    });
  }

  /** Creates the local side; call `connect` after handing `dtlsParameters` to the SFU. */
  static async create(remote: RemoteTransportParameters): Promise<RtcTestPeer> {
    const gatherer = new RTCIceGatherer({
      useIpv4: false,
      useIpv6: false,
      useTcp: false,
      additionalHostAddresses: ['127.0.0.1'],
      interfaceAddresses: { udp4: '127.0.0.1' },
    });
    gatherer.connection.iceControlling = true;
    await gatherer.gather();
    const ice = new RTCIceTransport(gatherer);
    ice.setRemoteParams(
      new RTCIceParameters({
        usernameFragment: remote.iceParameters.usernameFragment,
        password: remote.iceParameters.password,
        iceLite: remote.iceParameters.iceLite ?? true,
      }),
    );
    for (const c of remote.iceCandidates) {
      await ice.addRemoteCandidate(
        new WeriftIceCandidate(1, c.foundation, c.address, c.port, c.priority, c.protocol, c.type),
      );
    }
    await ice.addRemoteCandidate(undefined);
    const certificate = await RTCDtlsTransport.SetupCertificate();
    const dtls = new RTCDtlsTransport({}, ice, certificate, [
      ProtectionProfileAeadAes128Gcm,
      ProtectionProfileAes128CmHmacSha1_80,
    ]);
    dtls.role = 'client';
    dtls.setRemoteParams(
      new RTCDtlsParameters(
        remote.dtlsParameters.fingerprints.map((f) => new RTCDtlsFingerprint(f.algorithm, f.value)),
        'server',
      ),
    );
    return new RtcTestPeer(gatherer, ice, dtls);
  }

  get dtlsParameters(): DtlsParameters {
    return {
      role: 'client',
      fingerprints: this.#dtls.localParameters.fingerprints.map((f) => ({
        algorithm: f.algorithm,
        value: f.value,
      })),
    };
  }

  /** Runs ICE checks and the DTLS handshake. */
  async connect(timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`test peer did not connect within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([
        (async () => {
          await this.#ice.start();
          await this.#dtls.start();
        })(),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Restarts ICE against new SFU credentials (after the SFU's restartIce). */
  async restartIce(iceParameters: IceParameters, candidates: IceCandidate[]): Promise<void> {
    this.#ice.restart();
    await this.#gatherer.gather();
    this.#ice.setRemoteParams(
      new RTCIceParameters({
        usernameFragment: iceParameters.usernameFragment,
        password: iceParameters.password,
        iceLite: true,
      }),
    );
    for (const c of candidates) {
      await this.#ice.addRemoteCandidate(
        new WeriftIceCandidate(1, c.foundation, c.address, c.port, c.priority, c.protocol, c.type),
      );
    }
    await this.#ice.addRemoteCandidate(undefined);
    await this.#ice.start();
  }

  get iceState(): string {
    return this.#ice.state;
  }

  onRtp(listener: (packet: RtpPacket) => void): void {
    this.#listeners.push(listener);
  }

  /** Decrypted RTP packets as header bytes and payload bytes, without parsing. */
  onRawRtp(listener: (header: Buffer, payload: Buffer) => void): void {
    this.#rawListeners.push(listener);
  }

  /** See `SrtpDataPath.setPreDecryptFilter`: return false to skip decrypting a packet. */
  setPreDecryptFilter(filter: ((packet: Buffer) => boolean) | undefined): void {
    this.#srtp.setPreDecryptFilter(filter);
  }

  onRtcp(listener: (packet: RtcpPacket) => void): void {
    this.#dtls.onRtcp.subscribe(listener);
  }

  /** Each decrypted compound RTCP packet as bytes (one listener), for what werift's parser does not read whole. */
  onRtcpBytes(listener: (compound: Buffer) => void): void {
    this.#srtp.onRtcpBytes(listener);
  }

  sendRtp(header: RtpHeader, payload: Buffer): void {
    if (this.#closed) return;
    this.#srtp.sendRtp(header.serialize(header.serializeSize), payload);
  }

  /** Sends a packet given as header bytes and payload. */
  sendRawRtp(header: Buffer, payload: Buffer): void {
    if (this.#closed) return;
    this.#srtp.sendRtp(header, payload);
  }

  sendRtcp(packets: RtcpPacket[]): void {
    if (this.#closed) return;
    this.#dtls.sendRtcp(packets).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#dtls.dtls?.close();
    await this.#dtls.stop().catch(() => undefined);
  }
}
